package org.mentorflow.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The median and 90th percentile of all reviews, from the counts per whole minute, against the sorted reviews. */
class TurnaroundPercentilesTest {

    @Test
    void fromTheCountsPerMinuteAsFromEveryReview() {
        Random random = new Random(11);
        for (int size : new int[] {1, 2, 3, 9, 10, 11, 100, 1_001}) {
            List<Long> reviews = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                reviews.add((long) random.nextInt(3 * 24 * 60));
            }
            reviews.sort(null);
            Map<Long, Long> perMinute = new TreeMap<>();
            reviews.forEach(m -> perMinute.merge(m, 1L, Long::sum));
            List<long[]> counts = perMinute.entrySet().stream().map(e -> new long[] {e.getKey(), e.getValue()}).toList();
            // percentile_cont(0.5): the middle one, or halfway between the two middle ones
            double median = size % 2 == 1 ? reviews.get(size / 2) / 60.0
                    : (reviews.get(size / 2 - 1) / 60.0 + reviews.get(size / 2) / 60.0) / 2;
            // percentile_disc(0.9): the smallest with at least 90 % at or below it
            double p90 = reviews.get((int) Math.ceil(0.9 * size) - 1) / 60.0;
            assertThat(CohortFigures.median(counts, size)).as("median of %d", size).isCloseTo(median, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(CohortFigures.p90(counts, size)).as("p90 of %d", size).isEqualTo(p90);
        }
    }

    @Test
    void theHandWorkedNine() {
        // 2 2 4 6 12 12 24 24 24 hours (CohortFiguresIT): median 12, p90 24
        List<long[]> counts = List.of(new long[] {120, 2}, new long[] {240, 1}, new long[] {360, 1}, new long[] {720, 2},
                new long[] {1440, 3});
        assertThat(CohortFigures.median(counts, 9)).isEqualTo(12.0);
        assertThat(CohortFigures.p90(counts, 9)).isEqualTo(24.0);
        assertThat(CohortFigures.median(List.of(new long[] {240, 1}, new long[] {360, 1}), 2)).isEqualTo(5.0);
    }
}

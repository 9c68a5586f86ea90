package org.mentorflow.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names inside a cohort's archive come from records people typed: none may climb out of its folder when unzipped. */
class ArchiveNamesTest {

    @Test
    void aStudentsFolderIsNumberAndNameWithNothingThatLeavesTheFolder() {
        Set<String> taken = new HashSet<>();
        assertThat(ArchiveJobs.folder(new ArchiveJobs.Student("2027001", "张三"), taken)).isEqualTo("2027001 张三/");
        assertThat(ArchiveJobs.folder(new ArchiveJobs.Student("../../etc", "passwd"), taken)).isEqualTo("_.._etc passwd/");
        assertThat(ArchiveJobs.folder(new ArchiveJobs.Student("..", "/root\\x"), taken)).isEqualTo("_root_x/");
        assertThat(ArchiveJobs.folder(new ArchiveJobs.Student("7", "a\u0000b\nc:d*e?f\"g<h>i|j"), taken))
                .isEqualTo("7 a_b_c_d_e_f_g_h_i_j/");
    }

    @Test
    void twoFoldersOfTheSameNameAreKeptApart() {
        Set<String> taken = new HashSet<>();
        assertThat(ArchiveJobs.folder(new ArchiveJobs.Student("1", "a/b"), taken)).isEqualTo("1 a_b/");
        assertThat(ArchiveJobs.folder(new ArchiveJobs.Student("1", "a\\b"), taken)).isEqualTo("1 a_b (2)/");
    }

    @Test
    void aFileNameIsNeverEmptyNorAPathNorTooLong() {
        assertThat(ArchiveJobs.safe("")).isEqualTo("_");
        assertThat(ArchiveJobs.safe("...")).isEqualTo("_");
        assertThat(ArchiveJobs.safe("周志.csv")).isEqualTo("周志.csv");
        assertThat(ArchiveJobs.safe("x".repeat(300))).hasSize(120);
    }
}

package org.mentorflow.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded generator of test values: a function of a {@link Random}, so one seed repeats a whole run. Small on purpose:
 * constants, choices, weighted choices, strings, numbers and lists, combined with {@link #map} and {@link #flatMap}.
 */
@FunctionalInterface
interface Gen<T> {

    T next(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return r -> f.apply(next(r));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<? extends R>> f) {
        return r -> f.apply(next(r)).next(r);
    }

    /** A list of {@code min..max} values of this generator. */
    default Gen<List<T>> list(int min, int max) {
        return r -> {
            int n = min + r.nextInt(max - min + 1);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(next(r));
            }
            return out;
        };
    }

    static <T> Gen<T> constant(T value) {
        return r -> value;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    static <T> Gen<T> of(List<T> values) {
        return r -> values.get(r.nextInt(values.size()));
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return r -> gens[r.nextInt(gens.length)].next(r);
    }

    /** A generator with its weight, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** One of the generators, each chosen in proportion to its weight (in the order given, so a seed repeats). */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<T>... choices) {
        return frequency(List.of(choices));
    }

    static <T> Gen<T> frequency(List<Weighted<T>> choices) {
        int total = choices.stream().mapToInt(Weighted::weight).sum();
        return r -> {
            int pick = r.nextInt(total);
            for (Weighted<T> c : choices) {
                pick -= c.weight();
                if (pick < 0) {
                    return c.gen().next(r);
                }
            }
            throw new IllegalStateException("no choice");
        };
    }

    static Gen<Integer> ints(int min, int max) {
        return r -> min + r.nextInt(max - min + 1);
    }

    static Gen<Long> longs(long min, long max) {
        return r -> min + (long) (r.nextDouble() * (max - min));
    }

    /** Strings of {@code min..max} characters taken from {@code chars}. */
    static Gen<String> strings(String chars, int min, int max) {
        return r -> {
            int n = min + r.nextInt(max - min + 1);
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append(chars.charAt(r.nextInt(chars.length())));
            }
            return sb.toString();
        };
    }

    /** Any characters: mostly printable, some control characters, some CJK, some surrogate pairs. */
    static Gen<String> anyStrings(int max) {
        return r -> {
            int n = r.nextInt(max + 1);
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(10);
                if (kind < 6) {
                    sb.append((char) (0x20 + r.nextInt(0x5f)));
                } else if (kind < 7) {
                    sb.append((char) r.nextInt(0x20));
                } else if (kind < 9) {
                    sb.append((char) (0x4e00 + r.nextInt(0x5000)));
                } else {
                    sb.appendCodePoint(0x1f600 + r.nextInt(0x50));
                }
            }
            return sb.toString();
        };
    }

    String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    String ALPHANUMERIC = ALPHA + "0123456789";
}

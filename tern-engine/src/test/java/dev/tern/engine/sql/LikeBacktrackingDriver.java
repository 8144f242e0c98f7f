package dev.tern.engine.sql;

import java.util.regex.Pattern;

/**
 * Times {@code %a%a%a%a%a%a%a%a%b} against runs of {@code a}: the regular expression LIKE compiled to before
 * (backtracking) against {@link LikePattern}, then LikePattern alone over 1 MiB. Run with
 * {@code java -cp tern-engine/target/classes:tern-engine/target/test-classes dev.tern.engine.sql.LikeBacktrackingDriver}.
 */
public final class LikeBacktrackingDriver {
    private LikeBacktrackingDriver() {
    }

    public static void main(String[] args) {
        String like = "%a%a%a%a%a%a%a%a%b";
        Pattern regex = Pattern.compile(".*a.*a.*a.*a.*a.*a.*a.*a.*b", Pattern.DOTALL);
        LikePattern linear = LikePattern.compile(like, null);
        for (int n : new int[] {10, 20, 30, 40}) {
            String s = "a".repeat(n);
            long t = System.nanoTime();
            boolean r = regex.matcher(s).matches();
            long regexNs = System.nanoTime() - t;
            t = System.nanoTime();
            boolean l = false;
            for (int i = 0; i < 1000; i++) l = linear.matches(s);
            long linearNs = (System.nanoTime() - t) / 1000;
            System.out.printf("n=%d regex=%.3f ms (%b) like=%.4f ms (%b)%n", n, regexNs / 1e6, r, linearNs / 1e6, l);
        }
        String big = "a".repeat(1 << 20);
        long t = System.nanoTime();
        boolean l = linear.matches(big);
        System.out.printf("n=%d like=%.2f ms (%b)%n", big.length(), (System.nanoTime() - t) / 1e6, l);
        for (String p : new String[] {"%a%a%a%a%a%a%a%a%b%", "%" + "a".repeat(60) + "b%", "%" + "_".repeat(200) + "b%"}) {
            LikePattern q = LikePattern.compile(p, null);
            for (int i = 0; i < 5; i++) q.matches(big);
            t = System.nanoTime();
            for (int i = 0; i < 10; i++) l = q.matches(big);
            System.out.printf("'%s' over n=%d: %.2f ms (%b)%n", p.length() > 30 ? p.substring(0, 12) + "...(" + p.length() + " chars)" : p, big.length(), (System.nanoTime() - t) / 10 / 1e6, l);
        }
    }
}

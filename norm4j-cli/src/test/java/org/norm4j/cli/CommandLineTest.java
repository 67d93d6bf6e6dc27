package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void helpListsEveryCommandAndExitsZero() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.code, r::toString);
        for (String c : new String[] {"demo", "fit", "transform", "merge", "Exit codes"}) {
            assertTrue(r.out.contains(c), () -> c + " missing from\n" + r.out);
        }
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String c : new String[] {"demo", "fit", "transform", "merge"}) {
            Cli r = Cli.run(c, "--help");
            assertEquals(0, r.code, r::toString);
            assertTrue(r.out.contains("Examples:") && r.out.contains("norm4j " + c), () -> c + ":\n" + r.out);
            Cli h = Cli.run("help", c);
            assertEquals(0, h.code, h::toString);
            assertEquals(r.out, h.out);
        }
    }

    @Test
    void versionNamesTheBuild() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.startsWith("norm4j " + Main.version()), r.out);
        assertTrue(!Main.version().contains("${"), "version resource is not filtered: " + Main.version());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, Cli.run().code);
        assertEquals(2, Cli.run("frobnicate").code);
        assertEquals(2, Cli.run("fit", "x.csv").code, "missing --out");
        assertEquals(2, Cli.run("fit", "x.csv", "--out", "s.json", "--bogus").code);
        Cli m = Cli.run("fit", "x.csv", "--out", "s.json", "--method", "zscore");
        assertEquals(2, m.code, m::toString);
        assertTrue(m.err.contains("--method"), m.err);
        assertEquals(2, Cli.run("fit", "x.csv", "--out", "s.json", "--ddof", "2").code);
        assertEquals(2, Cli.run("fit", "x.csv", "--out", "s.json", "--zero-variance", "nope").code);
        assertEquals(2, Cli.run("transform", "x.csv", "--out", "y.csv").code, "missing --stats");
        assertEquals(2, Cli.run("merge", "--out", "s.json").code, "no inputs");
    }
}

package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every field of a stats file is checked before use: each case edits one field of a valid file and expects exit
 * code 1, one line naming the file and the field, and no output.
 */
class StatsSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path csv;
    String valid;
    int cases;

    @BeforeEach
    void fit() throws IOException {
        csv = Files.writeString(dir.resolve("d.csv"), "a,b,c\n1,2,3\n4,5,9\n7,8,27\n");
        Cli r = Cli.run("fit", csv, "--columns", "a,c", "-o", dir.resolve("s.json"));
        assertEquals(0, r.code, r::toString);
        valid = Files.readString(dir.resolve("s.json"));
    }

    private void tree(String name, Consumer<ObjectNode> edit, String... fragments) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(valid);
        edit.accept(root);
        text(name, JSON.writeValueAsString(root), fragments);
    }

    private void text(String name, String json, String... fragments) throws IOException {
        cases++;
        Path s = Files.writeString(dir.resolve(name + ".json"), json);
        Path out = dir.resolve("o.csv");
        String[] all = new String[fragments.length + 1];
        all[0] = name + ".json";
        System.arraycopy(fragments, 0, all, 1, fragments.length);
        BadInputTest.fails(Cli.run("transform", csv, "-s", s, "-o", out), all);
        assertFalse(Files.exists(out), name);
    }

    private static ObjectNode f(ObjectNode root, int j) {
        return (ObjectNode) root.get("features").get(j);
    }

    @Test
    void everyFieldIsRangeChecked() throws IOException {
        assertEquals(0, Cli.run("transform", csv, "-s", dir.resolve("s.json"), "-o", dir.resolve("ok.csv")).code);
        tree("negm2", r -> f(r, 0).put("m2", -1.0), "'features[0].m2'", "-1.0", ">= 0");
        tree("ddof5", r -> r.put("ddof", 5), "'ddof'", "5", "[0, 1]");
        tree("ddofrows", r -> {
            r.put("rows", 1).put("ddof", 1);
            f(r, 0).put("count", 1);
        }, "'ddof'", "ddof < rows");
        tree("rows0", r -> r.put("rows", 0), "'rows'", "0", "[1, ");
        tree("rowsneg", r -> r.put("rows", -5), "'rows'", "-5");
        tree("minmax", r -> f(r, 0).put("min", 10.0).put("max", 1.0), "'features[0].min'", "min <= max");
        tree("dupcol", r -> f(r, 1).put("column", 1), "'features[1].column'", "each column once");
        tree("colhigh", r -> f(r, 0).put("column", 9), "'features[0].column'", "9", "[1, 3]");
        tree("colzero", r -> f(r, 0).put("column", 0), "'features[0].column'", "[1, 3]");
        text("rowshuge", valid.replace("\"rows\" : 3", "\"rows\" : 99999999999999999999"), "'rows'",
                "99999999999999999999", "integer in");
        text("colshuge", valid.replace("\"columns\" : 3", "\"columns\" : 3000000000"), "'input.columns'",
                "3000000000");
        tree("count", r -> f(r, 0).put("count", 4), "'features[0].count'", "at most 'rows' 3");
        tree("countprop", r -> {
            r.put("nan_policy", "propagate");
            f(r, 0).put("count", 2);
        }, "'features[0].count'", "expected 3");
        tree("countvar", r -> f(r, 0).put("count", 2), "'features[0].variance'", "m2 / (count - ddof)");
        tree("nanpolicy", r -> r.put("nan_policy", "omit"), "'nan_policy'", "propagate or ignore");
        tree("option", r -> ((ObjectNode) r.get("options")).put("clip", true), "unknown field 'options.clip'");
        tree("nooptions", r -> r.remove("options"), "'options'", "expected an object");
        tree("unknown", r -> r.put("colums", 3), "unknown field 'colums'");
        tree("unknownf", r -> f(r, 0).put("scale", 2.0), "unknown field 'features[0].scale'");
        tree("unknowni", r -> ((ObjectNode) r.get("input")).put("quote", "'"), "unknown field 'input.quote'");
        text("dupkey", valid.replace("\"rows\" : 3,", "\"rows\" : 3, \"rows\" : 30,"), "invalid JSON",
                "Duplicate field 'rows'");
        text("trailing", valid + "{}", "invalid JSON");
        tree("variance", r -> f(r, 0).put("variance", 100.0), "'features[0].variance'", "m2 / (count - ddof)");
        tree("std", r -> f(r, 0).put("std", 100.0), "'features[0].std'", "sqrt(variance)");
        tree("epsilon", r -> r.put("epsilon", 0.5), "'epsilon'", "0.5");
        tree("estimator", r -> r.put("variance_estimator", "sample"), "'variance_estimator'", "'population'");
        tree("delim", r -> ((ObjectNode) r.get("input")).put("delimiter", "ab"), "'input.delimiter'", "'ab'");
        tree("names", r -> ((ObjectNode) r.get("input")).put("header", false), "'features[0].name'", "null");
        text("meanhuge", valid.replaceFirst("\"mean\" : [0-9.E-]+", "\"mean\" : 1e400"), "'features[0].mean'",
                "double range");
        tree("meanrange", r -> f(r, 0).put("mean", 50.0), "'features[0].mean'", "between min");
        tree("version", r -> r.put("version", 1.5), "'version'", "integer");
        tree("ddoftext", r -> r.put("ddof", "0"), "'ddof'", "integer");
        tree("empty", r -> r.putArray("features"), "'features'", "non-empty");
        tree("toomany", r -> {
            r.withArray("features").add(f(r, 0).deepCopy().put("column", 2));
            r.withArray("features").add(f(r, 0).deepCopy().put("column", 3));
        }, "'features'", "at most one per column");
        tree("kind", r -> ((ObjectNode) r.get("input")).put("kind", "xlsx"), "'input.kind'", "'xlsx'");
        tree("control", r -> r.put("method", "\u001b[2Jstandard"), "'method'", "\\x1b[2Jstandard");
        tree("sources", r -> r.putArray("sources").add(3), "'sources[0]'", "string");
        tree("skipped", r -> r.put("skipped_rows", -1), "'skipped_rows'", "-1");
        assertEquals(38, cases);
    }

    @Test
    void aDirectoryGivenAsTheStatsFileIsNamedAsSuch() throws IOException {
        Path d = Files.createDirectory(dir.resolve("stats.d"));
        BadInputTest.fails(Cli.run("transform", csv, "-s", d, "-o", dir.resolve("o.csv")), "stats.d",
                "is a directory: expected a file");
        BadInputTest.fails(Cli.run("merge", d, "-o", dir.resolve("m.json")), "stats.d", "is a directory");
        BadInputTest.fails(Cli.run("fit", d, "-o", dir.resolve("m.json")), "stats.d", "is a directory");
    }

    @Test
    void aFitThatCannotGiveASampleVarianceIsRefused() throws IOException {
        Path one = Files.writeString(dir.resolve("one.csv"), "a\n5\n");
        BadInputTest.fails(Cli.run("fit", one, "--ddof", "1", "-o", dir.resolve("o.json")), "one.csv", "1 row",
                "--ddof 1");
        assertFalse(Files.exists(dir.resolve("o.json")));
    }

    @Test
    void mergeRefusesARowCountBeyondLong() throws IOException {
        String big = valid.replace("\"rows\" : 3", "\"rows\" : " + (Long.MAX_VALUE - 1))
                .replace("\"count\" : 3", "\"count\" : " + (Long.MAX_VALUE - 1))
                .replaceAll("\"variance\" : [0-9.E-]+", "\"variance\" : 0.0")
                .replaceAll("\"std\" : [0-9.E-]+", "\"std\" : 0.0")
                .replaceAll("\"m2\" : [0-9.E-]+", "\"m2\" : 0.0");
        Path a = Files.writeString(dir.resolve("big.json"), big);
        BadInputTest.fails(Cli.run("merge", a, a, "-o", dir.resolve("m.json")), "big.json", "fits in a long");
    }
}

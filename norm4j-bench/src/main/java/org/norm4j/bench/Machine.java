package org.norm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** A one-line description of the machine, from /proc. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String model = "unknown CPU";
        String flags = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("unknown CPU")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                }
                if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = line.contains("avx512f") ? ", AVX-512" : line.contains("avx2") ? ", AVX2" : "";
                }
            }
        } catch (IOException e) {
            // keep the defaults
        }
        long mem = 0;
        try {
            String l = Files.readAllLines(Path.of("/proc/meminfo")).get(0);
            mem = Long.parseLong(l.replaceAll("[^0-9]", "")) / (1024 * 1024);
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return model + flags + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + mem + " GiB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    /** The SIMD flags worth showing in a report (the full list stays in the results' cpu.txt). */
    private static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx_vnni", "avx512f",
            "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile");

    /**
     * The CPU as bench/run.sh recorded it at run time in {@code cpu.txt} ({@code key=value} lines: model_name,
     * vendor, family, model, stepping, flags): e.g. {@code AMD EPYC (AuthenticAMD family 26, model 2, stepping 1);
     * SIMD: avx avx2 fma avx512f ...}; null when the file is missing or unreadable.
     */
    static String recordedCpu(Path cpuTxt) {
        Map<String, String> kv = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(cpuTxt)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    kv.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (kv.isEmpty()) {
            return null;
        }
        List<String> flags = List.of(kv.getOrDefault("flags", "").split("\\s+"));
        StringJoiner simd = new StringJoiner(" ");
        for (String f : VECTOR_FLAGS) {
            if (flags.contains(f)) {
                simd.add(f);
            }
        }
        return kv.getOrDefault("model_name", "?") + " (" + kv.getOrDefault("vendor", "?") + " family "
                + kv.getOrDefault("family", "?") + ", model " + kv.getOrDefault("model", "?") + ", stepping "
                + kv.getOrDefault("stepping", "?") + "); SIMD: " + (simd.length() == 0 ? "none listed" : simd);
    }
}

package org.norm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}

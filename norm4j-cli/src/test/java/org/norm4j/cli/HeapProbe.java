package org.norm4j.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Runs the norm4j command in a child JVM for {@link BoundedMemoryTest}, then prints the peak heap use: the sum of
 * the peak usage of every heap memory pool (an upper bound of the true peak), and the maximum heap.
 */
public final class HeapProbe {
    private HeapProbe() {
    }

    public static void main(String[] args) {
        int code = Main.run(args);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peak-heap-bytes=" + peak);
        System.out.println("max-heap-bytes=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        System.exit(code);
    }
}

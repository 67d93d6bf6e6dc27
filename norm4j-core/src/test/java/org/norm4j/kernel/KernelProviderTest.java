package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which kernels {@link KernelProvider} picks. This class runs twice (see norm4j-core/pom.xml): once with
 * {@code --add-modules jdk.incubator.vector}, where the vector kernels must be chosen, and once in the
 * {@code scalar-only} surefire execution without that module and with {@code -Dnorm4j.expectScalar=true},
 * where the scalar reference must be chosen. {@code -Dnorm4j.kernels=scalar} forces the scalar kernels
 * whatever the module graph.
 */
class KernelProviderTest {

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static boolean forcedScalar() {
        return "scalar".equalsIgnoreCase(System.getProperty("norm4j.kernels", ""));
    }

    @Test
    void describeIsNonEmptyAndStable() {
        String d = KernelProvider.describe();
        assertNotNull(d);
        assertFalse(d.isBlank());
        assertSame(d, KernelProvider.describe());
        assertSame(KernelProvider.get(), KernelProvider.get());
    }

    @Test
    void choiceMatchesTheEnvironment() {
        String d = KernelProvider.describe();
        Kernels k = KernelProvider.get();
        if (Boolean.getBoolean("norm4j.expectScalar") || forcedScalar()) {
            assertTrue(d.startsWith("scalar"), d);
            // exactly the reference class: the vector kernels extend ScalarKernels, so instanceof would not do
            assertEquals(ScalarKernels.class, k.getClass(), d);
            if (forcedScalar()) {
                assertTrue(d.contains("norm4j.kernels=scalar"), d);
            }
        } else if (vectorModulePresent()) {
            assertTrue(d.startsWith("vector"), d);
            assertEquals(KernelProvider.VECTOR_CLASS, k.getClass().getName());
            assertEquals(d, k.name());
        } else {
            assertTrue(d.startsWith("scalar"), d);
            assertTrue(d.contains("jdk.incubator.vector"), "the description should say how to enable: " + d);
        }
    }

    @Test
    void expectScalarMeansTheModuleIsAbsent() {
        if (Boolean.getBoolean("norm4j.expectScalar")) {
            assertFalse(vectorModulePresent(), "the scalar-only run must not have jdk.incubator.vector");
        }
    }

    @Test
    void vectorOrNullMatchesModulePresence() {
        Kernels v = KernelProvider.vectorOrNull();
        if (vectorModulePresent()) {
            assertNotNull(v, "jdk.incubator.vector is present: the vector kernels should load");
            assertEquals(KernelProvider.VECTOR_CLASS, v.getClass().getName());
            assertTrue(v.name().startsWith("vector ("), v.name());
            assertTrue(v.name().contains("-bit float species"), v.name());
        } else {
            assertNull(v);
        }
    }

    @Test
    void scalarIsAlwaysTheReference() {
        Kernels s = KernelProvider.scalar();
        assertEquals(ScalarKernels.class, s.getClass());
        assertEquals("scalar", s.name());
    }
}

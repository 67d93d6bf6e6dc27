package org.norm4j.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses the kernels once per JVM: the Vector API implementation when the {@code jdk.incubator.vector}
 * module is readable (start the JVM with {@code --add-modules jdk.incubator.vector}), otherwise the scalar
 * reference, with one logged line that says why. The system property {@code norm4j.kernels=scalar} forces
 * the scalar path.
 */
public final class KernelProvider {
    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());
    static final String VECTOR_CLASS = "org.norm4j.kernel.vector.VectorKernels";

    private KernelProvider() {
    }

    /** The kernels every op uses. */
    public static Kernels get() {
        return Holder.INSTANCE;
    }

    /** A one-line description of the choice, e.g. {@code vector (512-bit float species)} or {@code scalar (...)}. */
    public static String describe() {
        return Holder.DESCRIPTION;
    }

    /** The scalar reference kernels, whatever was chosen (used by tests to compare implementations). */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    /**
     * A new instance of the Vector API kernels, or {@code null} when the incubator module is absent.
     *
     * @throws LinkageError if the module is present but the vector class is missing (a packaging bug)
     */
    public static Kernels vectorOrNull() {
        if (!vectorModulePresent()) {
            return null;
        }
        try {
            Class<?> cls = Class.forName(VECTOR_CLASS);
            return (Kernels) MethodHandles.publicLookup()
                    .findConstructor(cls, MethodType.methodType(void.class)).invoke();
        } catch (ClassNotFoundException e) {
            throw new LinkageError("jdk.incubator.vector is present but " + VECTOR_CLASS
                    + " is missing from the norm4j-core jar", e);
        } catch (UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "norm4j: Vector API unusable here ({0}); using scalar kernels", e.getMessage());
            return null;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new LinkageError("could not construct " + VECTOR_CLASS, t);
        }
    }

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Lazily initialized, thread-safe singleton (holder-class idiom: no locking, no class-loading deadlock). */
    private static final class Holder {
        static final Kernels INSTANCE;
        static final String DESCRIPTION;

        static {
            Kernels chosen;
            String why;
            if ("scalar".equalsIgnoreCase(System.getProperty("norm4j.kernels", ""))) {
                chosen = new ScalarKernels();
                why = "scalar (forced by -Dnorm4j.kernels=scalar)";
            } else if (!vectorModulePresent()) {
                chosen = new ScalarKernels();
                why = "scalar (jdk.incubator.vector not present; start the JVM with "
                        + "--add-modules jdk.incubator.vector for the vector kernels)";
                LOG.log(Level.FINE, "norm4j: {0}", why);
            } else {
                Kernels v = vectorOrNull();
                if (v == null) {
                    chosen = new ScalarKernels();
                    why = "scalar (Vector API present but unusable on this CPU)";
                } else {
                    chosen = v;
                    why = v.name();
                }
            }
            INSTANCE = chosen;
            DESCRIPTION = why;
        }
    }
}

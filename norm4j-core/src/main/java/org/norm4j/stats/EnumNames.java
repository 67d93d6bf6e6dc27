package org.norm4j.stats;

/** The one lookup of the enums of this package by their config names (case-insensitive, surrounding spaces ignored). */
final class EnumNames {
    private EnumNames() {
    }

    /** The constant named {@code name}, or null (also for a null name). */
    static <E extends Enum<E>> E find(E[] values, String name) {
        if (name != null) {
            for (E e : values) {
                if (e.name().equalsIgnoreCase(name.strip())) {
                    return e;
                }
            }
        }
        return null;
    }

    /**
     * The constant named {@code name}.
     *
     * @param expected the message of the error for an unknown name (it names the key, the value and the choices)
     * @throws IllegalArgumentException for an unknown or null name
     */
    static <E extends Enum<E>> E parse(E[] values, String name, java.util.function.Supplier<String> expected) {
        E found = find(values, name);
        if (found == null) {
            throw new IllegalArgumentException(expected.get());
        }
        return found;
    }
}

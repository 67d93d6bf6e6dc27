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
}

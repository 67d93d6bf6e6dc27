package org.norm4j.io;

/**
 * A Keras file that norm4j cannot read or a model it cannot write, thrown inside the io package and turned into
 * an {@link java.io.IOException} (same message) at the public methods of {@link ModelIO}.
 */
final class KerasFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KerasFormatException(String message) {
        super(message);
    }

    KerasFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

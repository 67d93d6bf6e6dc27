package org.norm4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.norm4j.Norm4j;
import org.norm4j.files.Text;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code norm4j} command: {@code demo}, {@code fit}, {@code transform} and {@code merge}. Exit codes:
 * 0 success, 1 failure (a one-line {@code norm4j <command>: error: ...} message on stderr), 2 usage error.
 * Tests run it in-process with {@link #commandLine()} and {@code execute}.
 */
@Command(name = "norm4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"TensorFlow's normalization functions and Keras's normalization layers in pure Java: "
                + "a demo of what normalization does to training, and streaming feature scaling of CSV and "
                + ".npy files."},
        subcommands = {DemoCommand.class, FitCommand.class, TransformCommand.class, MergeCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  norm4j demo                 (the seed's MNIST model with and without normalization)",
            "  norm4j fit data.csv --out stats.json",
            "  norm4j transform data.csv --stats stats.json --out data.norm.csv",
            "  norm4j merge part1.json part2.json --out stats.json",
            "  norm4j help fit",
            "", "Exit codes: 0 success, 1 failure (bad input, missing file), 2 usage error."})
public final class Main implements Callable<Integer> {
    /** Exit status of a failed command. */
    public static final int FAILURE = 1;
    /** Exit status of a usage error. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    /** Without a command: print the usage on stderr and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("norm4j: missing command: expected one of demo, fit, transform, merge");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** A configured command line: usage errors exit 2 (picocli's default), failures print one line and exit 1. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler(Main::handle);
        return cl;
    }

    private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandName();
        String prefix = name.equals("norm4j") ? "norm4j: error: " : "norm4j " + name + ": error: ";
        if (ex instanceof CliException) {
            err.println(prefix + Text.escape(ex.getMessage()));
        } else {
            err.println(prefix + "internal error: " + Text.escape(String.valueOf(ex)));
            if (System.getenv("NORM4J_DEBUG") != null) {
                ex.printStackTrace(err);
            } else {
                err.println("norm4j: (a bug in norm4j: please report it with the command; NORM4J_DEBUG=1 shows the "
                        + "stack trace)");
            }
        }
        err.flush();
        return FAILURE;
    }

    /** Runs the command in-process and returns its exit code. */
    public static int run(String... args) {
        try {
            return commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("norm4j: error: out of memory (" + Text.printable(String.valueOf(e.getMessage()))
                    + "): give the JVM more heap, e.g. NORM4J_JAVA_OPTS=-Xmx8g, or use smaller inputs");
            return FAILURE;
        }
    }

    /** The entry point of the launcher and the fat jar. */
    public static void main(String[] args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen only
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // library warnings (e.g. Normalization's zero-variance notice) as one line: "norm4j: WARNING: ..."
            System.setProperty("java.util.logging.SimpleFormatter.format", "norm4j: %4$s: %5$s%6$s%n");
        }
        System.exit(run(args));
    }

    /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** {@code norm4j VERSION}, written into stats files and reports. */
    public static String versionString() {
        return "norm4j " + version();
    }

    /** {@code --version}: the norm4j version, the JVM and the kernel path. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionString(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "kernels: " + Norm4j.kernels()};
        }
    }
}

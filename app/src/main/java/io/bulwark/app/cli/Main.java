package io.bulwark.app.cli;

import io.bulwark.app.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The bulwark executable. Subcommands are wired here by hand (architecture.md rule 6). Any error
 * that escapes a command is printed as one line, never as a stack trace.
 */
@Command(name = "bulwark", mixinStandardHelpOptions = true, version = Version.TOOL,
        description = "Finds weaponised IoT devices in network traffic and proves what they did.")
public final class Main implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> COMMANDS = List.of(AnalyzeCommand.class, CaptureCommand.class, CollectCommand.class,
            ContainCommand.class, PostureCommand.class, EvidenceCommand.class, ServeCommand.class, ShareCommand.class,
            ScoreCommand.class, SimulateCommand.class, TokenCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // picocli reads every subcommand's annotations by reflection when it is added (about
        // 0.1 s of one core for all of them on a cold JVM): when the first argument names one,
        // only that one is added; usage, help and anything else get them all.
        Class<?> named = args.length == 0 ? null : COMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(args[0])).findFirst().orElse(null);
        for (Class<?> c : named == null || named == CommandLine.HelpCommand.class ? COMMANDS : List.of(named)) {
            cl.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("bulwark: " + oneLine(ex));
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A failure as one line that names the file where the exception knows it. */
    static String oneLine(Throwable ex) {
        String r = reason(ex);
        return ex instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " + r : r;
    }

    /** A failure as one line without the file it concerns: for callers that name the file themselves. */
    static String reason(Throwable ex) {
        String m;
        if (ex instanceof java.nio.file.NoSuchFileException) {
            m = "no such file or directory";
        } else if (ex instanceof java.nio.file.AccessDeniedException) {
            m = "permission denied";
        } else if (ex instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
            m = f.getReason() == null ? f.getClass().getSimpleName() : f.getReason();
        } else {
            m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}

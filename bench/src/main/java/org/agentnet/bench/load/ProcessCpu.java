package org.agentnet.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CPU time (user + system) a process has used so far, read from Linux's
 * {@code /proc/<pid>/stat}: divided by the requests served in the same window, it gives the
 * server's CPU per request, a figure that the other work on a shared machine moves much less than
 * a rate.
 */
public final class ProcessCpu {

    /** Linux's USER_HZ: {@code /proc/<pid>/stat} counts in these ticks on every common kernel. */
    private static final long TICKS_PER_SECOND = 100;

    private final Path stat;

    private ProcessCpu(long pid) {
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
    }

    /** The process of a Liberty server, from its PID file ({@code <user dir>/servers/.pid/<server>.pid}), if it runs here. */
    public static Optional<ProcessCpu> ofLibertyServer(Path serverDir) {
        Path pidFile = serverDir.getParent().resolve(".pid").resolve(serverDir.getFileName() + ".pid");
        try {
            return ofPid(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The process of that PID, if it runs here. */
    public static Optional<ProcessCpu> ofPid(long pid) {
        ProcessCpu cpu = new ProcessCpu(pid);
        return cpu.nanos().isPresent() ? Optional.of(cpu) : Optional.empty();
    }

    /** CPU time used so far in nanoseconds (10 ms resolution), or empty when the process is gone. */
    public OptionalLong nanos() {
        try {
            String line = Files.readString(stat);
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return OptionalLong.of(ticks * (1_000_000_000L / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}

package org.agentnet.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files agentnet keeps in the server's directories: secrets (keystores) and the server
 * configuration it decides at start (operator account, truststore), which goes to Liberty's
 * {@code configDropins/overrides}, merged into server.xml and applied while running. Files are
 * replaced atomically and readable by their owner only.
 */
public final class ServerFiles {

    private ServerFiles() {
    }

    public static Path overrides(String serverConfigDir, String fileName) {
        return Path.of(serverConfigDir, "configDropins", "overrides", fileName);
    }

    /** Writes {@code content} unless the file already holds exactly that (no needless config reload). */
    public static void write(Path file, String content) throws IOException {
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        writeOwnerOnly(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Atomically replaces {@code file} with {@code bytes}, readable by the owner only. */
    public static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        // the temporary name does not end in .xml, so Liberty never reads a half-written file
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions apply
            }
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

package org.agentnet.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerFilesTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path serverDir;

    @Test
    void overridesIsUnderConfigDropins() {
        assertEquals(Path.of("/srv/liberty/configDropins/overrides/x.xml"),
                ServerFiles.overrides("/srv/liberty", "x.xml"));
    }

    @Test
    void writeCreatesTheMissingDirectoriesAndTheFile() throws Exception {
        Path file = ServerFiles.overrides(serverDir.toString(), "a.xml");

        ServerFiles.write(file, "<server/>\n");

        assertEquals("<server/>\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of("a.xml"), names(file.getParent()));
    }

    @Test
    void writeKeepsNonAsciiContentInUtf8() throws Exception {
        Path file = serverDir.resolve("u.xml");
        String content = "<server description=\"Zürich – 東京\"/>";

        ServerFiles.write(file, content);

        assertEquals(content, new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }

    @Test
    void writeMakesTheFileOwnerOnly() throws Exception {
        Path file = serverDir.resolve("secret.xml");

        ServerFiles.write(file, "<server/>");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void replacingTightensTheModeOfAnOpenFile() throws Exception {
        Path file = serverDir.resolve("secret.xml");
        Files.writeString(file, "<server old=\"1\"/>");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        ServerFiles.write(file, "<server new=\"1\"/>");

        assertEquals("<server new=\"1\"/>", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void identicalContentIsNotRewritten() throws Exception {
        Path file = serverDir.resolve("same.xml");
        ServerFiles.write(file, "<server a=\"1\"/>");
        Files.setLastModifiedTime(file, LONG_AGO);
        Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        ServerFiles.write(file, "<server a=\"1\"/>");

        assertEquals(LONG_AGO, Files.getLastModifiedTime(file), "not touched");
        assertEquals(inode, Files.readAttributes(file, BasicFileAttributes.class).fileKey(), "same inode");
        assertEquals(List.of("same.xml"), names(serverDir));
    }

    @Test
    void changedContentReplacesTheFileAtomically() throws Exception {
        Path file = serverDir.resolve("changing.xml");
        ServerFiles.write(file, "<server a=\"1\"/>");
        Files.setLastModifiedTime(file, LONG_AGO);
        Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        // a reader that opened the old file keeps reading the old content: the file is replaced, not rewritten
        Path hardLinkToOld = serverDir.resolve("old-link");
        Files.createLink(hardLinkToOld, file);

        ServerFiles.write(file, "<server a=\"2\"/>");

        assertEquals("<server a=\"2\"/>", Files.readString(file));
        assertNotEquals(LONG_AGO, Files.getLastModifiedTime(file));
        assertNotEquals(inode, Files.readAttributes(file, BasicFileAttributes.class).fileKey(),
                "a new file was moved into place");
        assertEquals("<server a=\"1\"/>", Files.readString(hardLinkToOld), "the old file was never written into");
        Files.delete(hardLinkToOld);
        assertEquals(List.of("changing.xml"), names(serverDir), "no temporary file is left");
    }

    @Test
    void manyWritesLeaveNoTemporaryFiles() throws Exception {
        Path file = ServerFiles.overrides(serverDir.toString(), "many.xml");
        for (int i = 0; i < 25; i++) {
            ServerFiles.write(file, "<server n=\"" + i + "\"/>");
            ServerFiles.write(file, "<server n=\"" + i + "\"/>");
        }
        assertEquals("<server n=\"24\"/>", Files.readString(file));
        assertEquals(List.of("many.xml"), names(file.getParent()));
    }

    @Test
    void writeOwnerOnlyAlwaysReplaces() throws Exception {
        Path file = serverDir.resolve("bytes.bin");
        ServerFiles.writeOwnerOnly(file, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(file, LONG_AGO);

        ServerFiles.writeOwnerOnly(file, new byte[] {1, 2, 3});

        assertNotEquals(LONG_AGO, Files.getLastModifiedTime(file));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("bytes.bin"), names(serverDir));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = serverDir.resolve("target.xml");
        ServerFiles.write(file, "<server a=\"1\"/>");
        // the final move fails: a non-empty directory cannot be replaced by a file
        Path blocked = serverDir.resolve("blocked.xml");
        Files.createDirectories(blocked.resolve("child"));

        assertThrows(IOException.class,
                () -> ServerFiles.writeOwnerOnly(blocked, "<server/>".getBytes(StandardCharsets.UTF_8)));

        assertEquals("<server a=\"1\"/>", Files.readString(file));
        assertEquals(List.of("blocked.xml", "target.xml"), names(serverDir));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

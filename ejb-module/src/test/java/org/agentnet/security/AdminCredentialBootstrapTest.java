package org.agentnet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.agentnet.common.config.RunMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class AdminCredentialBootstrapTest {

    private static final String ENV_REFERENCE = "${env.AGENTNET_ADMIN_PASSWORD}";
    private static final String SECRET = "s3cr3t-from-the-environment";

    @TempDir
    Path serverDir;

    private Path file() {
        return ServerFiles.overrides(serverDir.toString(), AdminCredentialBootstrap.FILE_NAME);
    }

    private static AdminCredentialBootstrap withEnvironment(Map<String, String> environment) {
        return new AdminCredentialBootstrap(environment);
    }

    @Test
    void fileGoesToConfigDropinsOverrides() {
        assertEquals(serverDir.resolve("configDropins/overrides/admin-user.xml"), file());
    }

    @Test
    void withThePasswordInTheEnvironmentTheFileOnlyReferencesIt() throws Exception {
        String generated = withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, SECRET))
                .ensureAdminUser(file());

        assertNull(generated, "nothing is generated when the environment has the password");
        String xml = Files.readString(file());
        assertTrue(xml.contains("password=\"" + ENV_REFERENCE + "\""), xml);
        assertFalse(xml.contains(SECRET), "the secret itself never reaches the file");
        assertEquals(ENV_REFERENCE, adminPassword(parse(file())));
        assertDeclaresAdminInOperators(parse(file()));
    }

    @Test
    void aBlankEnvironmentVariableCountsAsUnset() throws Exception {
        String generated = withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, "  "))
                .ensureAdminUser(file());

        assertNotNull(generated);
        assertEquals(generated, adminPassword(parse(file())));
    }

    @Test
    void withoutTheEnvironmentAPasswordIsGeneratedOnceAndKept() throws Exception {
        AdminCredentialBootstrap bootstrap = withEnvironment(Map.of());

        String generated = bootstrap.ensureAdminUser(file());

        assertNotNull(generated);
        assertTrue(generated.length() >= 20, "at least 20 characters: " + generated.length());
        assertTrue(generated.matches("[A-Za-z0-9_-]+"), "URL-safe without padding: " + generated);
        assertEquals(generated, adminPassword(parse(file())));
        assertFalse(Files.readString(file()).contains(ENV_REFERENCE));
        assertDeclaresAdminInOperators(parse(file()));

        byte[] before = Files.readAllBytes(file());
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file(), old);

        String second = withEnvironment(Map.of()).ensureAdminUser(file());

        assertNull(second, "a second start generates nothing");
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(file()));
        assertEquals(old, Files.getLastModifiedTime(file()), "the file is not even rewritten");
    }

    @Test
    void aFileThatReferencedTheVariableGetsAGeneratedPasswordOnceTheVariableIsGone() throws Exception {
        withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, SECRET)).ensureAdminUser(file());
        assertEquals(ENV_REFERENCE, adminPassword(parse(file())));

        String generated = withEnvironment(Map.of()).ensureAdminUser(file());

        assertNotNull(generated, "Liberty could not resolve the reference any more: a password is generated");
        String xml = Files.readString(file());
        assertFalse(xml.contains(ENV_REFERENCE), xml);
        assertEquals(generated, adminPassword(parse(file())));
        assertDeclaresAdminInOperators(parse(file()));
    }

    @Test
    void settingTheVariableLaterReplacesTheGeneratedPassword() throws Exception {
        String generated = withEnvironment(Map.of()).ensureAdminUser(file());
        assertNotNull(generated);

        assertNull(withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, SECRET)).ensureAdminUser(file()));

        String xml = Files.readString(file());
        assertFalse(xml.contains(generated), "the generated password is gone from the file");
        assertEquals(ENV_REFERENCE, adminPassword(parse(file())));
    }

    @Test
    void theEnvironmentCaseDoesNotRewriteAnUnchangedFile() throws Exception {
        AdminCredentialBootstrap bootstrap = withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, SECRET));
        bootstrap.ensureAdminUser(file());
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file(), old);

        bootstrap.ensureAdminUser(file());

        assertEquals(old, Files.getLastModifiedTime(file()));
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws Exception {
        assertTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "these tests run on a POSIX file system");

        withEnvironment(Map.of()).ensureAdminUser(file());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));

        withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, SECRET)).ensureAdminUser(file());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    }

    @Test
    void noTemporaryFilesAreLeftBehind() throws Exception {
        withEnvironment(Map.of()).ensureAdminUser(file());
        withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, SECRET)).ensureAdminUser(file());
        withEnvironment(Map.of()).ensureAdminUser(file());

        try (var files = Files.list(file().getParent())) {
            assertEquals(java.util.List.of(file().getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void generatedPasswordsAreRandomAndUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String password = AdminCredentialBootstrap.generatePassword();
            assertEquals(24, password.length(), "18 random bytes in unpadded base64url");
            assertTrue(password.matches("[A-Za-z0-9_-]{24}"), password);
            seen.add(password);
        }
        assertEquals(200, seen.size());
    }

    @Test
    void twoFreshServersGetDifferentPasswords(@TempDir Path otherServer) {
        String first = withEnvironment(Map.of()).ensureAdminUser(file());
        String second = withEnvironment(Map.of())
                .ensureAdminUser(ServerFiles.overrides(otherServer.toString(), AdminCredentialBootstrap.FILE_NAME));
        assertNotEquals(first, second);
    }

    @Test
    void registryXmlIsWellFormedAndNamesTheRealm() throws Exception {
        Document document = parse(AdminCredentialBootstrap.registryXml("pw"));
        assertEquals("server", document.getDocumentElement().getTagName());
        Element registry = (Element) document.getElementsByTagName("basicRegistry").item(0);
        assertEquals("basic", registry.getAttribute("id"));
        assertEquals("agentnet", registry.getAttribute("realm"));
        assertEquals("pw", adminPassword(document));
        assertDeclaresAdminInOperators(document);
    }

    // -- production mode and external registries (docs/security.md "Operators")

    private static final String STRONG = "correct-horse-battery-staple-7";

    private static AdminCredentialBootstrap production(Map<String, String> environment) {
        return new AdminCredentialBootstrap(environment, RunMode.PRODUCTION, AdminCredentialBootstrap.OperatorRegistry.BASIC);
    }

    @Test
    void productionModeWithoutAPasswordRefusesToStartAndDisablesAGeneratedOne() throws Exception {
        String generated = withEnvironment(Map.of()).ensureAdminUser(file()); // an earlier development start
        assertNotNull(generated);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> production(Map.of()).ensureAdminUser(file()));

        assertTrue(refused.getMessage().contains("AGENTNET_ADMIN_PASSWORD"), refused.getMessage());
        assertTrue(refused.getMessage().contains("agentnet.operators.registry=external"), refused.getMessage());
        String xml = Files.readString(file());
        assertFalse(xml.contains(generated), "the generated password no longer logs anybody in");
        assertEquals(0, parse(file()).getElementsByTagName("user").getLength(), "no operator account at all");
        assertEquals(1, parse(file()).getElementsByTagName("basicRegistry").getLength(), "the registry itself stays");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    }

    @Test
    void productionModeWithoutAnyEarlierFileRefusesToo() {
        assertThrows(IllegalStateException.class, () -> production(Map.of()).ensureAdminUser(file()));
        assertThrows(IllegalStateException.class, () -> production(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, "   ")).ensureAdminUser(file()));
        assertTrue(Files.exists(file()));
    }

    @Test
    void productionModeAcceptsAStrongPasswordFromTheEnvironment() throws Exception {
        assertNull(production(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, STRONG)).ensureAdminUser(file()));
        assertEquals(ENV_REFERENCE, adminPassword(parse(file())));
        assertFalse(Files.readString(file()).contains(STRONG));
        assertDeclaresAdminInOperators(parse(file()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short-pw", "admin", "password1234", "Password!!!!", "changeit-2024", "aaaaaaaaaaaaaaaa",
            "abababababab", "administrator", "agentnet12345", "admin1234567"})
    void productionModeRefusesAWeakPasswordFromTheEnvironment(String weak) throws Exception {
        withEnvironment(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, weak)).ensureAdminUser(file()); // development allows it

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> production(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, weak)).ensureAdminUser(file()));

        assertFalse(refused.getMessage().contains(weak), "the password itself is never logged");
        assertEquals(0, parse(file()).getElementsByTagName("user").getLength(), "the account is disabled");
    }

    @Test
    void theWeaknessRulesAcceptOrdinaryStrongPasswords() {
        for (String strong : java.util.List.of(STRONG, AdminCredentialBootstrap.generatePassword(), "Tr0ub4dor&3-extra", "k8#Lm2!pQ9@z")) {
            assertNull(AdminCredentialBootstrap.weakness(strong), strong);
        }
        assertNotNull(AdminCredentialBootstrap.weakness("x".repeat(11) + "y"));
    }

    @Test
    void anExternalRegistryNeedsNoAccountInEitherMode() throws Exception {
        String generated = withEnvironment(Map.of()).ensureAdminUser(file());
        for (RunMode mode : RunMode.values()) {
            assertNull(new AdminCredentialBootstrap(Map.of(), mode, AdminCredentialBootstrap.OperatorRegistry.EXTERNAL).ensureAdminUser(file()));
            String xml = Files.readString(file());
            assertFalse(xml.contains(generated));
            assertEquals(0, parse(file()).getElementsByTagName("user").getLength(), mode.name());
        }
        // with the variable set as well, the account exists beside the external registry (a break-glass login)
        new AdminCredentialBootstrap(Map.of(AdminCredentialBootstrap.PASSWORD_ENV, STRONG), RunMode.PRODUCTION,
                AdminCredentialBootstrap.OperatorRegistry.EXTERNAL).ensureAdminUser(file());
        assertEquals(ENV_REFERENCE, adminPassword(parse(file())));
    }

    @Test
    void backInDevelopmentModeAfterAnAccountWasDisabledAPasswordIsGeneratedAgain() throws Exception {
        assertThrows(IllegalStateException.class, () -> production(Map.of()).ensureAdminUser(file()));

        String generated = withEnvironment(Map.of()).ensureAdminUser(file());

        assertNotNull(generated, "a file without an account is not an account generated earlier");
        assertEquals(generated, adminPassword(parse(file())));
    }

    @Test
    void modeAndRegistrySettingsAreParsedStrictly() {
        assertEquals(RunMode.DEVELOPMENT, RunMode.parse(null));
        assertEquals(RunMode.DEVELOPMENT, RunMode.parse(" "));
        assertEquals(RunMode.PRODUCTION, RunMode.parse("Production"));
        assertThrows(IllegalStateException.class, () -> RunMode.parse("prod"));
        assertEquals(AdminCredentialBootstrap.OperatorRegistry.EXTERNAL, AdminCredentialBootstrap.OperatorRegistry.parse("external"));
        assertEquals(AdminCredentialBootstrap.OperatorRegistry.BASIC, AdminCredentialBootstrap.OperatorRegistry.parse(null));
        assertThrows(IllegalStateException.class, () -> AdminCredentialBootstrap.OperatorRegistry.parse("ldap"));
    }

    @Test
    void theRegistryWithoutAccountIsWellFormed() throws Exception {
        Document document = parse(AdminCredentialBootstrap.registryWithoutAccount());
        Element registry = (Element) document.getElementsByTagName("basicRegistry").item(0);
        assertEquals("basic", registry.getAttribute("id"));
        assertEquals("agentnet", registry.getAttribute("realm"));
        assertEquals(0, document.getElementsByTagName("user").getLength());
    }

    // -- helpers

    private static void assertDeclaresAdminInOperators(Document document) {
        assertEquals("server", document.getDocumentElement().getTagName());
        NodeList registries = document.getDocumentElement().getElementsByTagName("basicRegistry");
        assertEquals(1, registries.getLength());
        Element registry = (Element) registries.item(0);

        NodeList users = registry.getElementsByTagName("user");
        assertEquals(1, users.getLength());
        assertEquals("admin", ((Element) users.item(0)).getAttribute("name"));

        NodeList groups = registry.getElementsByTagName("group");
        assertEquals(1, groups.getLength());
        Element group = (Element) groups.item(0);
        assertEquals("operators", group.getAttribute("name"));
        NodeList members = group.getElementsByTagName("member");
        assertEquals(1, members.getLength());
        assertEquals("admin", ((Element) members.item(0)).getAttribute("name"));
    }

    private static String adminPassword(Document document) {
        Element user = (Element) document.getElementsByTagName("user").item(0);
        return user.getAttribute("password");
    }

    private static Document parse(Path file) throws Exception {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // a document that is not well-formed throws SAXParseException
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Matcher declaration = Pattern.compile("^<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?>").matcher(xml);
        assertTrue(declaration.find(), "starts with the XML declaration");
        return document;
    }
}

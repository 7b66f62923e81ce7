package org.agentnet.arquillian;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Testable;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The deployment of every in-container test: the real {@code agentnet.ear} this module has just
 * built, with the test classes added to its WAR. Arquillian does not put a test class into an
 * EAR by itself (STACK.md pitfall 9), and the EAR must keep its name: the application name
 * {@code agentnet} is part of the MDB activation spec ids in server.xml.
 */
final class AgentnetDeployment {

    static final String EAR_NAME = "agentnet.ear";
    static final String WAR_NAME = "agentnet-web.war";

    /** Where failsafe says the EAR is (ear/pom.xml, profile arquillian). */
    private static final String EAR_PROPERTY = "arquillian.ear";

    private AgentnetDeployment() {
    }

    /** The built EAR, with these classes (the test and its helpers) in its web module. */
    static EnterpriseArchive earWith(Class<?>... testClasses) {
        Path file = Path.of(System.getProperty(EAR_PROPERTY, "target/" + EAR_NAME));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no EAR at " + file.toAbsolutePath() + ": run the in-container tests with"
                    + " mvn verify (the ear module builds it in the package phase)");
        }
        EnterpriseArchive ear = ShrinkWrap.createFromZipFile(EnterpriseArchive.class, file.toFile());
        if (!EAR_NAME.equals(ear.getName())) {
            throw new IllegalStateException("the EAR must be deployed as " + EAR_NAME + ", not " + ear.getName());
        }
        if (!ear.contains(WAR_NAME)) {
            throw new IllegalStateException(file + " has no " + WAR_NAME);
        }
        // getAsType turns the nested WAR into an archive inside the EAR: changes to it are the EAR's
        WebArchive war = ear.getAsType(WebArchive.class, WAR_NAME);
        war.addClasses(testClasses).addClass(Await.class);
        if (!war.contains("WEB-INF/ibm-web-ext.xml")) {
            war.addAsWebInfResource(new StringAsset(CONTEXT_ROOT_EXT), "ibm-web-ext.xml");
        }
        Testable.archiveToTest(war);
        return ear;
    }

    /**
     * The WAR's context root (/, as in the EAR's application.xml) where the Liberty container
     * looks for it: it reads application.xml under the nested archive's name, which ShrinkWrap
     * gives a leading slash, finds nothing and would call the test servlet under /agentnet-web.
     */
    private static final String CONTEXT_ROOT_EXT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-ext xmlns="http://websphere.ibm.com/xml/ns/javaee"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="http://websphere.ibm.com/xml/ns/javaee http://websphere.ibm.com/xml/ns/javaee/ibm-web-ext_1_1.xsd"
                     version="1.1">
                <context-root uri="/"/>
            </web-ext>
            """;
}

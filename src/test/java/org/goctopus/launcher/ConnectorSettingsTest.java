package org.goctopus.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The embedded launcher's connector is the one tomcat-conf gives ops teams: one tuning, two places, no drift. */
class ConnectorSettingsTest {

    @Test
    void embeddedConnectorMatchesTomcatConf() throws Exception {
        Element connector = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("tomcat-conf/conf/server-connector.xml").toFile()).getDocumentElement();
        for (Map.Entry<String, String> setting : EmbeddedServer.CONNECTOR.entrySet()) {
            assertEquals(setting.getValue(), connector.getAttribute(setting.getKey()), setting.getKey());
        }
    }
}

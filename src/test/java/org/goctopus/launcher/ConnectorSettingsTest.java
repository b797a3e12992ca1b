package org.goctopus.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/** The embedded launcher's connector is the one tomcat-conf gives ops teams: one tuning, two places, no drift. */
class ConnectorSettingsTest {

    @Test
    void embeddedConnectorMatchesTomcatConf() throws Exception {
        Element connector = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("tomcat-conf/conf/server-connector.xml").toFile()).getDocumentElement();
        Map<String, String> file = new TreeMap<>();
        NamedNodeMap attributes = connector.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            file.put(attributes.item(i).getNodeName(), attributes.item(i).getNodeValue());
        }
        // Where it listens is each one's own (WS_HOST, WS_PORT); the protocol is Tomcat's default.
        file.keySet().removeAll(Set.of("port", "address", "protocol"));
        assertEquals(file, new TreeMap<>(EmbeddedServer.CONNECTOR));
    }
}

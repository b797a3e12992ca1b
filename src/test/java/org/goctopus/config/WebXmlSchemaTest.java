package org.goctopus.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;

/**
 * Payara validates web.xml strictly and, given an invalid one, deploys nothing
 * while saying it is ready; Tomcat does not validate at all. So the build does.
 */
class WebXmlSchemaTest {

    private static final String SCHEMAS = "/jakarta/servlet/resources/";

    @Test
    void webXmlIsValidAgainstTheServlet60Schema() throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setResourceResolver(new ClasspathSchemas()); // the schemas' imports, offline
        URL xsd = WebXmlSchemaTest.class.getResource(SCHEMAS + "web-app_6_0.xsd");
        assertNotNull(xsd, "servlet schema on the test classpath");
        Schema schema = factory.newSchema(xsd);
        schema.newValidator().validate(new StreamSource(Path.of("webapp/WEB-INF/web.xml").toFile()));
    }

    /** Resolves every imported schema (jakartaee_10.xsd, xml.xsd, ...) to the copy in the servlet jar. */
    private static final class ClasspathSchemas implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId,
                                       String baseUri) {
            String name = systemId.substring(systemId.lastIndexOf('/') + 1);
            InputStream in = WebXmlSchemaTest.class.getResourceAsStream(SCHEMAS + name);
            if (in == null) {
                return null;
            }
            return new SchemaInput(publicId, SCHEMAS + name, in);
        }
    }

    private record SchemaInput(String publicId, String systemId, InputStream byteStream) implements LSInput {
        @Override public java.io.Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(java.io.Reader r) { }
        @Override public InputStream getByteStream() { return byteStream; }
        @Override public void setByteStream(InputStream in) { }
        @Override public String getStringData() { return null; }
        @Override public void setStringData(String s) { }
        @Override public String getSystemId() { return systemId; }
        @Override public void setSystemId(String s) { }
        @Override public String getPublicId() { return publicId; }
        @Override public void setPublicId(String s) { }
        @Override public String getBaseURI() { return null; }
        @Override public void setBaseURI(String s) { }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String s) { }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean b) { }
    }
}

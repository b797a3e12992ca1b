/**
 * What a browser loads from the service besides its websocket: the client library and
 * the console (public files), and why its last upgrade was refused.
 */
package org.goctopus.browser;

/** Per-address rate limits shared by API requests and websocket upgrades. */
package org.goctopus.limit;

/** Log lines with fields (connection, key, message id), written as text or JSON. */
package org.goctopus.log;

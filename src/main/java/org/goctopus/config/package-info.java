/**
 * Settings (every {@code WS_*}, with their precedence and validation) and the
 * lifecycle listener that builds the deployment's singletons and closes them.
 */
package org.goctopus.config;

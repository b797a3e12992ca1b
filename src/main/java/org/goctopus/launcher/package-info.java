/** The embedded runner: the WAR on an embedded Tomcat with one command. Not part of the WAR. */
package org.goctopus.launcher;

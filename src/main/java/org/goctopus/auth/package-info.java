/**
 * Authorize: who an upgrading websocket is. {@link org.goctopus.auth.Authorizer}
 * turns an upgrade's headers into the keys its socket registers under, or into a
 * refusal with the status the client gets.
 */
package org.goctopus.auth;

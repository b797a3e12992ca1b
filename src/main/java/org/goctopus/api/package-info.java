/**
 * The backend API: Basic auth in front of JAX-RS resources that publish, read and
 * delete queued messages, plus the unauthenticated operations endpoints. Input is
 * validated here, at the boundary, and every refusal is a status with a JSON error.
 */
package org.goctopus.api;

/** Reading untrusted JSON one way, with one kind of failure. */
package org.goctopus.json;

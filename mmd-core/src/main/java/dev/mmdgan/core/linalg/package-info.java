/** Dense products on ND4J arrays that ND4J's own wrappers get wrong or do slowly. */
package dev.mmdgan.core.linalg;

package org.circuitscope.display;

import java.util.Map;

/**
 * An engine result that knows how it should look in a notebook. Keys are MIME types: "text/plain" and "text/html"
 * map to Strings, "image/png" to a {@link java.awt.image.BufferedImage}, "image/svg+xml" to an SVG String. The kernel
 * extension turns this into a Jupyter display bundle; outside Jupyter it is just data.
 */
public interface Displayable {
    Map<String, Object> representations();
}

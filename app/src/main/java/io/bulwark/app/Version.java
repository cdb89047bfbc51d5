package io.bulwark.app;

/**
 * The release this build is, as every output that names its producer states it: the CLI's
 * {@code --version}, the API's health view and the evidence archive's tool field. The OpenAPI
 * document (resources/api/openapi.json) repeats it and must be changed with it.
 */
public final class Version {
    /** The release number. */
    public static final String NUMBER = "0.1.0";
    /** Program name and release, as written into evidence and printed by {@code --version}. */
    public static final String TOOL = "bulwark " + NUMBER;

    private Version() {
    }
}

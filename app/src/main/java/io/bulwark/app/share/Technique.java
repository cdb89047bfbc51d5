package io.bulwark.app.share;

/**
 * The MITRE ATT&CK (Enterprise) techniques Bulwark's incident kinds map to, with the tactic
 * each is filed under. Names as ATT&CK spells them.
 */
public enum Technique {
    ACTIVE_SCANNING("T1595", "Active Scanning", "reconnaissance"),
    NETWORK_SERVICE_DISCOVERY("T1046", "Network Service Discovery", "discovery"),
    PASSWORD_GUESSING("T1110.001", "Brute Force: Password Guessing", "credential-access"),
    INGRESS_TOOL_TRANSFER("T1105", "Ingress Tool Transfer", "command-and-control"),
    APPLICATION_LAYER_PROTOCOL("T1071", "Application Layer Protocol", "command-and-control"),
    NETWORK_DOS("T1498", "Network Denial of Service", "impact"),
    ENDPOINT_DOS("T1499", "Endpoint Denial of Service", "impact");

    private final String id;
    private final String title;
    private final String tactic;

    Technique(String id, String title, String tactic) {
        this.id = id;
        this.title = title;
        this.tactic = tactic;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The ATT&CK tactic short name, as kill_chain_phases' phase_name wants it. */
    public String tactic() {
        return tactic;
    }

    /** https://attack.mitre.org/techniques/T1110/001/ for a sub-technique. */
    public String url() {
        return "https://attack.mitre.org/techniques/" + id.replace('.', '/') + "/";
    }
}

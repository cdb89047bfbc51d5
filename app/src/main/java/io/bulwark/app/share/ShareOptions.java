package io.bulwark.app.share;

import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What an export may reveal, and to whom.
 *
 * @param operator     the name of the sharing organisation (the STIX identity that sights)
 * @param marking      the TLP level of each incident (default: amber for all)
 * @param partnerMax   the most restricted level the recipient may receive; incidents marked
 *                     above it are left out entirely
 * @param pseudonymise applied to every local address (per {@code local}; an incident's host
 *                     always is) before it enters any exported object; identity by default.
 *                     Must be deterministic, or re-exports get new ids
 * @param local        the operator's own address ranges
 * @param privateInPatterns whether private addresses (RFC 1918 and the like, {@link Facts#PRIVATE})
 *                     may be indicator patterns; false by default, as they match a partner's own hosts
 */
public record ShareOptions(String operator, Function<Incident, Tlp> marking, Tlp partnerMax,
                           UnaryOperator<IpAddr> pseudonymise, LocalNets local, boolean privateInPatterns) {
    public ShareOptions(String operator, Function<Incident, Tlp> marking, Tlp partnerMax,
                        UnaryOperator<IpAddr> pseudonymise, LocalNets local) {
        this(operator, marking, partnerMax, pseudonymise, local, false);
    }

    public static final String DEFAULT_OPERATOR = "Bulwark operator";
    /** "Leave addresses as they are": our own object, so that {@link #realAddresses()} tests identity, not equality of lambdas. */
    public static final UnaryOperator<IpAddr> UNCHANGED = a -> a;

    public static ShareOptions defaults(Tlp partnerMax) {
        return new ShareOptions(DEFAULT_OPERATOR, i -> Tlp.AMBER, partnerMax, UNCHANGED, LocalNets.defaults(), false);
    }

    public ShareOptions withMarking(Tlp all) {
        return new ShareOptions(operator, i -> all, partnerMax, pseudonymise, local, privateInPatterns);
    }

    public ShareOptions withPseudonymise(UnaryOperator<IpAddr> p) {
        return new ShareOptions(operator, marking, partnerMax, p, local, privateInPatterns);
    }

    /** The operator's configured ranges (config local_nets): every address in them is pseudonymised. */
    public ShareOptions withLocal(LocalNets nets) {
        return new ShareOptions(operator, marking, partnerMax, pseudonymise, nets, privateInPatterns);
    }

    public ShareOptions withOperator(String name) {
        return new ShareOptions(name, marking, partnerMax, pseudonymise, local, privateInPatterns);
    }

    /** Lets private addresses into indicator patterns (an operator sharing inside one organisation). */
    public ShareOptions withPrivateInPatterns(boolean allow) {
        return new ShareOptions(operator, marking, partnerMax, pseudonymise, local, allow);
    }

    /**
     * True when addresses leave unchanged. Only then do exports carry Community IDs: they hash
     * the real 5-tuple, so a recipient could confirm a guessed internal address from one.
     */
    public boolean realAddresses() {
        return pseudonymise == UNCHANGED;
    }
}

package io.bulwark.detect.anomaly;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.detect.Detector;
import io.bulwark.detect.Device;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Finding;
import io.bulwark.detect.FindingSink;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.net.LocalNets;
import io.bulwark.sketch.HyperLogLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An online, unsupervised detector per device (kind {@code anomaly}): it learns what each
 * device normally does and reports when it departs from that, for the variants no specific
 * detector knows yet. docs/anomaly.md gives the model, its measured accuracy and its cost.
 *
 * <p>Packets and flows only add to counters ({@link Traffic}); once per tick of traffic time
 * the counters are folded into damped windows and the resulting 45 features are scored
 * against the device's {@link NormalProfile}: the RMS of their z-scores. The threshold is the
 * device's own: {@code factor} times a quantile of its past normal scores ({@link ScoreSketch}),
 * at least {@code minScore}. Ticks under it teach the profile at the normal rate, ticks over it
 * at {@code drift} times that rate, so a flood cannot make itself normal within the incident
 * but a lasting change of routine is absorbed in the end. Nothing is reported during the
 * grace period; {@code hotTicks} ticks over the threshold make an incident, which names the
 * features that moved most with their learnt range.
 *
 * <p>For {@code analyze --scores}, each packet's flow entry and each ended flow get the
 * device's latest score, times {@code knownWeight} when the flow's service (direction,
 * protocol, responder port) is one the device used while normal.
 */
public final class AnomalyDetector implements Detector<AnomalyState> {
    /** An episode must have lasted this long to be reported: one odd burst of flows is not a change of behaviour. */
    private static final long MIN_SPAN = 10_000_000_000L;
    /** Share of unicast attempts left unanswered above which a tick is probing, not routine. */
    static final double MAX_UNANSWERED = 0.5;
    private final AnomalyConfig cfg;
    private final ScoreSink scores;
    private final double rate;
    private final double priorRate;
    /**
     * The network's profile: what this detector's devices normally do, learnt from every
     * device's ticks that did not look abnormal for the network. A device is compared with it
     * until it has a history of its own. The one piece of state shared by the devices (45 x 16
     * bytes plus a sketch, per detector, not per device); a cluster keeps one per partition.
     */
    private final NormalProfile prior = new NormalProfile(Traffic.floors());
    private final ScoreSketch priorSketch = new ScoreSketch();
    /**
     * The services the network's devices use ({@link ServiceTable}, attempts and answers only):
     * during a device's first grace_s, a service counts as known for its scores only when the
     * network knows it too. Learnt from devices past their first grace_s while normal, and from
     * newer ones during the network's own first grace_s.
     */
    private final ServiceTable netServices = new ServiceTable();
    /** Per service slot, the tag of the first device that taught it, and whether another one did too. */
    private final byte[] netTeller = new byte[ServiceTable.SLOTS];
    private final boolean[] netShared = new boolean[ServiceTable.SLOTS];
    /** End of the first tick the detector judged, in traffic time. */
    private long networkFirst = Long.MIN_VALUE;
    private boolean networkYoung = true;
    /** The weight a new device's profile gives the network's, in ticks. */
    private static final long SEED_TICKS = 10;

    /** @param scores where per-flow scores go, or null when nobody asked for them */
    public AnomalyDetector(AnomalyConfig cfg, ScoreSink scores) {
        this.cfg = cfg;
        this.scores = scores;
        this.rate = 1.0 / cfg.learnTicks();
        this.priorRate = rate / 10;
    }

    /** Heap per device, in bytes. */
    public static int bytesPerDevice() {
        return AnomalyState.BYTES;
    }

    @Override
    public String name() {
        return "anomaly";
    }

    @Override
    public AnomalyState newState() {
        return new AnomalyState();
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public void onPacket(AnomalyState s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        long ts = p.tsNanos();
        if (ts >= s.tickEnd) {
            tick(s, device, ts, out);
        }
        double[] c = s.traffic.tick;
        int len = p.ipLength();
        if (outbound) {
            c[Traffic.PKTS_OUT]++;
            c[Traffic.BYTES_OUT] += len;
            c[Traffic.BYTES2_OUT] += (double) len * len;
            int proto = p.protocol();
            c[proto == 6 ? Traffic.TCP : proto == 17 ? Traffic.UDP : Traffic.OTHER]++;
            s.traffic.outboundGap(ts);
            if (flow.isNew()) {
                c[Traffic.FLOWS_OUT]++;
                // A TCP flow the table opened on a late ACK or RST (after it closed the flow) is not
                // an attempt: only a SYN is.
                if (proto != 6 || (p.tcpFlags() & 0x12) == 0x02) {
                    // Multicast and broadcast are never answered in their own flow (SSDP and mDNS
                    // replies come back as flows of their own): not attempts.
                    if (LocalNets.isUnicast(p.dstHi(), p.dstLo())) {
                        c[Traffic.ATTEMPTS]++;
                    }
                    attemptService(s, true, proto, p.dstPort());
                }
                s.traffic.peer(HyperLogLog.hash64(p.dstHi(), p.dstLo()));
                s.traffic.port(HyperLogLog.hash64(p.dstPort() | proto << 16));
                if (s.wantEvidence && s.evidence.size() < 4) {
                    s.evidence.add(EvidenceRef.of(flow, file, p));
                }
            }
        } else {
            c[Traffic.PKTS_IN]++;
            c[Traffic.BYTES_IN] += len;
            if (flow.isNew()) {
                c[Traffic.FLOWS_IN]++;
                if (p.protocol() != 6 || (p.tcpFlags() & 0x12) == 0x02) {
                    attemptService(s, false, p.protocol(), p.dstPort());
                }
            } else if (!flow.fromOriginator() && flow.packetsFromResponder() == 1) {
                c[Traffic.ANSWERS]++;
                learnService(s, true, flow.protocol(), flow.responderPort());
            }
        }
        if (outbound && !flow.fromOriginator() && flow.packetsFromResponder() == 1) {
            // The device answered a flow to one of its own services.
            learnService(s, false, flow.protocol(), flow.responderPort());
        }
        boolean originator = outbound == flow.fromOriginator();
        int slot = ServiceTable.slot(originator, flow.protocol(), flow.responderPort());
        s.services.packets(slot, 1);
        if (scores != null) {
            float v = (float) flowScore(s, slot);
            if (originator) {
                flow.scoreA = v;
            } else {
                flow.scoreB = v;
            }
        }
    }

    @Override
    public void onFlow(AnomalyState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (!f.fromPackets()) {
            long ts = f.startNanos();
            if (s.tickEnd != Long.MIN_VALUE) {
                ts = Math.max(ts, s.tickEnd - cfg.tickNanos());
            }
            if (ts >= s.tickEnd) {
                tick(s, device, ts, out);
            }
            count(s, f, outbound);
            if (f.protocol() != 6 || f.tcpFlagsOut() == 0 || (f.tcpFlagsOut() & 0x02) != 0) {
                attemptService(s, outbound, f.protocol(), f.dstPort());
            }
            s.services.packets(ServiceTable.slot(outbound, f.protocol(), f.dstPort()), f.packetsOut() + f.packetsIn());
        }
        if (scores != null) {
            scores.flow(f, device, flowScore(s, ServiceTable.slot(outbound, f.protocol(), f.dstPort())));
        }
        if (!f.fromPackets() && f.packetsIn() > 0 && !f.unanswered()) {
            learnService(s, outbound, f.protocol(), f.dstPort());
        }
    }

    /**
     * Attempts and answers on a service count towards knowing it only while the device is normal
     * ({@link ServiceTable}): what the device does during an episode neither teaches nor unteaches.
     */
    private void attemptService(AnomalyState s, boolean originator, int proto, int port) {
        if (!s.hot && !s.inEpisode()) {
            int slot = ServiceTable.slot(originator, proto, port);
            s.services.attempt(slot);
            if (teachesNetwork(s)) {
                netServices.attempt(slot);
            }
        }
    }

    private void learnService(AnomalyState s, boolean originator, int proto, int port) {
        if (!s.hot && !s.inEpisode()) {
            int slot = ServiceTable.slot(originator, proto, port);
            s.services.answer(slot);
            if (teachesNetwork(s)) {
                netServices.answer(slot);
                int teller = netTeller[slot];
                if (teller == 0) {
                    netTeller[slot] = s.tag;
                } else if (teller != s.tag) {
                    netShared[slot] = true;
                }
            }
        }
    }

    /**
     * Whether a device's services teach the network's: a device's past its first grace_s always
     * (while normal), a newer one's only while the network itself is new (its first grace_s, when
     * every device is new) and its latest tick looked normal. A device that appears later is a
     * stranger for its first grace_s: what it serves or uses does not vouch for itself.
     */
    private boolean teachesNetwork(AnomalyState s) {
        return !s.newcomer || (!s.abnormal && networkYoung);
    }

    /** A flow record from a flow source (no packets seen) counted into the current tick. */
    private static void count(AnomalyState s, FlowRecord f, boolean outbound) {
        double[] c = s.traffic.tick;
        long sent = outbound ? f.packetsOut() : f.packetsIn();
        long sentBytes = outbound ? f.bytesOut() : f.bytesIn();
        long got = outbound ? f.packetsIn() : f.packetsOut();
        long gotBytes = outbound ? f.bytesIn() : f.bytesOut();
        c[Traffic.PKTS_OUT] += sent;
        c[Traffic.BYTES_OUT] += sentBytes;
        if (sent > 0) {
            // Equal packet sizes within a flow: the best a flow record allows.
            c[Traffic.BYTES2_OUT] += (double) sentBytes * sentBytes / sent;
        }
        c[Traffic.PKTS_IN] += got;
        c[Traffic.BYTES_IN] += gotBytes;
        int proto = f.protocol();
        // The mix of flows, not of packets: one long session must not outweigh a day of lookups.
        c[proto == 6 ? Traffic.TCP : proto == 17 ? Traffic.UDP : Traffic.OTHER]++;
        if (outbound) {
            c[Traffic.FLOWS_OUT]++;
            if (LocalNets.isUnicast(f.dst().hi(), f.dst().lo())) {
                c[Traffic.ATTEMPTS]++;
                if (f.packetsIn() > 0 && !f.unanswered()) {
                    c[Traffic.ANSWERS]++;
                }
            }
            // Without packets, the gaps are those between the flows the device starts.
            s.traffic.outboundGap(f.startNanos());
            s.traffic.peer(HyperLogLog.hash64(f.dst().hi(), f.dst().lo()));
            s.traffic.port(HyperLogLog.hash64(f.dstPort() | proto << 16));
            if (s.wantEvidence && s.evidence.size() < 4) {
                s.evidence.add(EvidenceRef.of(f));
            }
        } else {
            c[Traffic.FLOWS_IN]++;
        }
    }

    /**
     * The score of a packet or flow on service {@code slot}: the device's latest score (in units
     * of min_score; of the network's threshold while young) times known_weight on a service the
     * device is known to use, plus one for a service it was never seen to use while normal; plus
     * one per {@link #SURPRISE_OCTAVES_PER_UNIT} octaves by which the service's packet level
     * exceeds eight times its normal level ({@link ServiceTable}). During the device's first
     * grace_s (after the network's own) a service is known only when the network's devices use
     * it too: the population is the only history a newcomer has. Kitsune gets the same effects from
     * per-channel and per-socket statistics; a slot per service costs no per-flow state.
     * Measured on the outbreak (docs/anomaly.md): the service levels raised the detection rate
     * at 0.1 % FPR from about 0.75 to 0.97, the network's services the AUC from about 0.995 to 0.999.
     */
    private double flowScore(AnomalyState s, int slot) {
        boolean known = s.services.known(slot)
                && (!s.newcomer || networkYoung || (netServices.known(slot) && netShared[slot]));
        double base = known ? s.score * cfg.knownWeight() : s.score + 1;
        return base + Math.max(0, s.services.surprise(slot) - SURPRISE_MARGIN) / SURPRISE_OCTAVES_PER_UNIT;
    }

    /** Octaves over its normal level (8 times) a service's traffic may reach before it adds to its packets' scores. */
    static final double SURPRISE_MARGIN = 3;
    /** Octaves of a service's surprise beyond the margin that add one to its packets' scores (one min_score). */
    static final double SURPRISE_OCTAVES_PER_UNIT = 2;

    /** Closes the tick that ends at {@code s.tickEnd} (if any) and opens the one holding {@code ts}. */
    private void tick(AnomalyState s, Device device, long ts, FindingSink out) {
        long len = cfg.tickNanos();
        long next = ts - Math.floorMod(ts, len) + len;
        if (s.tickEnd == Long.MIN_VALUE) {
            s.firstNanos = ts;
            s.tag = (byte) (1 + Math.floorMod(HyperLogLog.hash64(device.ip().hi(), device.ip().lo()), 255));
            s.tickEnd = next;
            s.lastFoldEnd = next - len;
            return;
        }
        long gap = Math.max(1, (s.tickEnd - s.lastFoldEnd) / len);
        s.traffic.fold(gap);
        s.lastFoldEnd = s.tickEnd;
        judge(s, device, s.tickEnd, gap, (next - s.tickEnd) / len, out);
        s.tickEnd = next;
    }

    /**
     * Scores the features at the end of a tick, learns, and moves the episode on. A young device
     * (in its grace period, or with fewer than min_ticks ticks) is scored against the network's
     * profile and never accused; ticks that look abnormal for the network are not learnt as its
     * normal, so a device whose first traffic is already an attack does not learn the attack.
     * Afterwards it is scored against its own profile and threshold. The tick's score (in units
     * of min_score; of the network's threshold while young) is what packets and flows get.
     * {@code gap} is the ticks since the previous fold, {@code ahead} those until the end of the
     * next tick to be counted.
     */
    void judge(AnomalyState s, Device device, long end, long gap, long ahead, FindingSink out) {
        s.traffic.features(s.x);
        s.ticks++;
        NormalProfile pr = s.profile;
        boolean priorReady = prior.samples >= cfg.minTicks();
        if (pr.samples == 0 && priorReady) {
            pr.seed(prior, SEED_TICKS);
        }
        double priorScore = priorReady ? prior.score(s.x) : 0;
        double priorThreshold = Math.max(cfg.minScore(), cfg.factor() * priorSketch.quantile(cfg.quantile()));
        boolean priorHot = priorReady && priorScore > priorThreshold;
        // The one thing known before any learning: a device whose unicast connection attempts
        // mostly go unanswered (over the 10 s window) is probing or flooding, not living its
        // routine. Such ticks teach neither the network's profile nor the device's own (at the
        // drift rate only), so a device that is a bot from its first packet, or the first device
        // the network sees, cannot make scanning the norm.
        double unanswered = s.x[Traffic.PER_SCALE + Traffic.UNANSWERED_FEATURE];
        boolean probing = unanswered > MAX_UNANSWERED;
        if (!priorHot && !probing) {
            prior.learn(s.x, priorRate, 1);
            if (prior.samples >= 10) {
                priorSketch.add(priorScore);
            }
        }
        double score = pr.score(s.x);
        double threshold = Math.max(cfg.minScore(), cfg.factor() * s.sketch.quantile(cfg.quantile()));
        boolean young = end - s.firstNanos < cfg.graceNanos() || s.ticks < cfg.minTicks();
        boolean over = !young && score > threshold;
        // Only "more of something" may accuse: a tick over the threshold counts towards an
        // incident when the device also sends more (packets, flows, peers or ports well above
        // its normal). A change of mix alone (TCP to UDP discovery, a share of unanswered
        // attempts that jumps while the gateway is saturated) is no attack.
        boolean hot = over && moreOfSomething(pr, s.x, cfg.minVolumeZ());
        boolean abnormal = probing || (young ? priorHot : over);
        s.newcomer = end - s.firstNanos < cfg.graceNanos();
        s.abnormal = abnormal;
        if (networkFirst == Long.MIN_VALUE) {
            networkFirst = end;
        }
        networkYoung = end - networkFirst < cfg.graceNanos();
        // A service's normal level follows its traffic freely only while both the device and the
        // network are young (the detector has just started: every device is new); a device that
        // appears later grows it at the capped rate like an established one.
        s.services.fold(gap, ahead, young && !abnormal && networkYoung, abnormal);
        s.hot = hot;
        // Packets and flows get the score in units of min_score once the device has its own
        // profile: measured on the outbreak, dividing by the device's own threshold instead
        // (which a noisy device raises) gave AUC 0.976 and TPR 0.13 at 0.1 % FPR, this 0.983 and 0.57.
        s.score = young ? (priorReady ? priorScore / priorThreshold : 0) : score / cfg.minScore();
        if (!young && !over) {
            // Only an established profile's scores: a young profile scores everything high.
            s.sketch.add(score);
        }
        if (hot) {
            hotTick(s, device, end, score, threshold, out);
        } else if (s.inEpisode() && end - s.episodeLast > cfg.gapNanos()) {
            endEpisode(s, device, out);
        }
        // A profile's first sample becomes its mean outright: a probing tick must never be it.
        if (!(probing && pr.samples == 0)) {
            pr.learn(s.x, rate, abnormal ? cfg.drift() : 1);
        }
    }

    /** The outbound volume features, per scale: packets, flows, distinct peers and distinct ports per second. */
    private static final int[] VOLUME = {0, 5, 7, 8};
    /** Whether one volume feature is at least {@code minZ} standard deviations above its normal. */
    private static boolean moreOfSomething(NormalProfile pr, double[] x, double minZ) {
        for (int scale = 0; scale < Traffic.SCALES; scale++) {
            for (int k : VOLUME) {
                int f = scale * Traffic.PER_SCALE + k;
                if (pr.z(f, x[f]) >= minZ) {
                    return true;
                }
            }
        }
        return false;
    }

    private void hotTick(AnomalyState s, Device device, long end, double score, double threshold, FindingSink out) {
        if (s.inEpisode() && end - s.episodeLast > cfg.gapNanos()) {
            endEpisode(s, device, out);
        }
        if (!s.inEpisode()) {
            s.episodeFirst = end - cfg.tickNanos();
            s.hotCount = 0;
            s.detectedAt = Long.MIN_VALUE;
            s.peakScore = 0;
            s.evidence.clear();
            s.wantEvidence = true;
        }
        s.hotCount++;
        s.episodeLast = end;
        if (score > s.peakScore) {
            s.peakScore = score;
            explain(s);
        }
        if (s.detectedAt == Long.MIN_VALUE && s.hotCount >= cfg.hotTicks() && end - s.episodeFirst >= MIN_SPAN) {
            s.detectedAt = end;
            s.thresholdAtDetection = threshold;
            out.emit(finding(s, device));
        }
    }

    private void endEpisode(AnomalyState s, Device device, FindingSink out) {
        if (s.detectedAt != Long.MIN_VALUE) {
            out.emit(finding(s, device));
        }
        s.episodeFirst = Long.MIN_VALUE;
        s.detectedAt = Long.MIN_VALUE;
        s.wantEvidence = false;
        s.evidence.clear();
    }

    /** Keeps the {@link AnomalyState#EXPLAIN} features with the largest |z| of the current tick. */
    private static void explain(AnomalyState s) {
        int k = AnomalyState.EXPLAIN;
        java.util.Arrays.fill(s.topFeature, -1);
        java.util.Arrays.fill(s.topZ, 0);
        for (int f = 0; f < Traffic.FEATURES; f++) {
            double z = s.profile.z(f, s.x[f]);
            int at = k;
            while (at > 0 && (s.topFeature[at - 1] < 0 || Math.abs(z) > Math.abs(s.topZ[at - 1]))) {
                at--;
            }
            if (at == k) {
                continue;
            }
            for (int i = k - 1; i > at; i--) {
                s.topFeature[i] = s.topFeature[i - 1];
                s.topZ[i] = s.topZ[i - 1];
                s.topObserved[i] = s.topObserved[i - 1];
                s.topMean[i] = s.topMean[i - 1];
                s.topSigma[i] = s.topSigma[i - 1];
            }
            s.topFeature[at] = f;
            s.topZ[at] = z;
            s.topObserved[at] = s.x[f];
            s.topMean[at] = s.profile.mean[f];
            s.topSigma[at] = Math.sqrt(s.profile.var[f]);
        }
    }

    @Override
    public void onEnd(AnomalyState s, Device device, long nowNanos, FindingSink out) {
        if (s.inEpisode()) {
            endEpisode(s, device, out);
        }
    }

    private Finding finding(AnomalyState s, Device device) {
        double tickSeconds = cfg.tickNanos() / 1e9;
        List<Map<String, Object>> features = new ArrayList<>();
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < AnomalyState.EXPLAIN && s.topFeature[i] >= 0; i++) {
            int f = s.topFeature[i];
            double lo = Traffic.display(f, Math.max(0, s.topMean[i] - 3 * s.topSigma[i]));
            double hi = Traffic.display(f, s.topMean[i] + 3 * s.topSigma[i]);
            if (Traffic.isShare(f) && f % Traffic.PER_SCALE != 14) {
                hi = Math.min(1, hi);
            }
            double seen = Traffic.display(f, s.topObserved[i]);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", Traffic.name(f));
            m.put("window_s", Traffic.windowSeconds(f, tickSeconds));
            m.put("normal_min", round(lo));
            m.put("normal_max", round(hi));
            m.put("observed", round(seen));
            m.put("z", round(s.topZ[i]));
            features.add(m);
            if (i < 3) {
                why.append(i == 0 ? ": " : "; ").append(String.format(Locale.ROOT, "%s over %d s normal %s-%s, now %s",
                        Traffic.name(f).replace('_', ' '), Traffic.windowSeconds(f, tickSeconds), text(lo), text(hi), text(seen)));
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("score", round(s.peakScore));
        d.put("threshold", round(s.thresholdAtDetection));
        d.put("hot_ticks", s.hotCount);
        d.put("learnt_ticks", s.profile.samples);
        d.put("features", features);
        String summary = String.format(Locale.ROOT, "%s departs from its own normal traffic (score %.1f, threshold %.1f)%s",
                device.ip(), s.peakScore, s.thresholdAtDetection, why);
        double confidence = Math.min(0.9, 0.5 + 0.1 * Math.log(s.peakScore / s.thresholdAtDetection) / Math.log(2));
        return new Finding(name(), Kind.anomaly, device.ip(), "", s.episodeFirst, s.detectedAt, s.episodeLast,
                Severity.medium, Math.max(0.5, confidence), summary, d, List.copyOf(s.evidence));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String text(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}

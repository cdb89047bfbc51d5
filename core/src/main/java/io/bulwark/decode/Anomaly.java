package io.bulwark.decode;

/**
 * Named decode anomalies (architecture.md rule 7). Each has a stable lower_snake id that appears
 * in events.ndjson and in the run summary. Ids are a contract: add, never rename.
 */
public enum Anomaly {
    // capture files
    capture_truncated_header,
    capture_truncated_record,
    capture_caplen_too_large,
    capture_caplen_exceeds_snaplen,
    capture_bad_block_length,
    capture_unknown_interface,
    capture_unknown_block,
    capture_section_unsupported,
    capture_timestamp_out_of_order,
    capture_too_many_interfaces,
    capture_link_type_unsupported,
    capture_caplen_exceeds_block,
    capture_bad_option,
    capture_timestamp_out_of_range,
    // link layer
    link_unknown_type,
    ethernet_truncated,
    ethernet_non_ip,
    vlan_truncated,
    vlan_too_deep,
    pppoe_truncated,
    sll_truncated,
    null_truncated,
    null_unknown_family,
    // network layer
    ipv4_header_truncated,
    ipv4_header_invalid,
    ipv4_total_length_invalid,
    ipv4_fragment,
    ipv6_header_truncated,
    ipv6_ext_header_truncated,
    ipv6_ext_header_chain_too_long,
    ipv6_fragment,
    ip_version_mismatch,
    ipv6_mapped_ipv4_address,
    capture_timestamp_jump,
    // transport and tunnels
    tcp_header_truncated,
    tcp_header_invalid,
    udp_header_truncated,
    udp_length_invalid,
    icmp_header_truncated,
    gre_header_truncated,
    gre_unsupported_version,
    gre_nested,
    // flow-level inputs
    zeek_line_malformed,
    zeek_header_missing,
    zeek_header_invalid,
    zeek_line_truncated,
    // flow exports (NetFlow v5/v9, IPFIX, sFlow v5)
    export_truncated,
    export_version_unknown,
    export_count_mismatch,
    export_set_invalid,
    export_template_invalid,
    export_template_withdrawn_unknown,
    export_template_missing,
    export_template_cache_full,
    export_pending_full,
    export_exporters_full,
    export_sequence_gap,
    export_record_invalid,
    sflow_truncated,
    sflow_sample_invalid,
    sflow_header_undecodable,
    export_record_late,
    // flow exports that are not believed (docs/collect.md, "Exporters must earn trust")
    export_header_invalid,
    export_record_fields_invalid,
    export_record_time_implausible,
    export_record_size_implausible,
    export_record_rate_implausible,
    export_sampling_rate_implausible,
    export_record_budget_exceeded,
    export_exporter_not_allowed,
    // transport records (Kafka between collectors and the Flink job)
    transport_record_truncated,
    transport_version_unknown,
    transport_record_invalid,
    stitch_pending_full,
    reorder_buffer_full,
    // resource bounds (architecture.md rule 8)
    flow_table_full,
    device_table_full,
    device_admission_refused,
    device_summaries_full,
    inventory_table_full,
    internal_error;

    public String id() {
        return name();
    }
}

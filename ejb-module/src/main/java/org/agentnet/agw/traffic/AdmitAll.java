package org.agentnet.agw.traffic;

import jakarta.enterprise.context.ApplicationScoped;

/** The default traffic control: admits every request (no rate limits yet; docs/agw.md "Traffic-control hook"). */
@ApplicationScoped
public class AdmitAll implements TrafficControl {

    @Override
    public Admission admit(TrafficRequest request) {
        return Admission.ADMITTED;
    }
}

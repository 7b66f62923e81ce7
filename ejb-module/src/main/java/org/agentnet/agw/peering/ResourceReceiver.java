package org.agentnet.agw.peering;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.ars.RemoteChange;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.CertifiedIdentity;

/**
 * Receives a page of a peer's agent summaries (draft 3.4.2): the sender must be that peer; a page
 * that does not follow on what is applied is answered with the seq to send from (nothing
 * applied); otherwise it is applied with the peer's new position in one transaction, or, when the
 * registry refuses one of its changes, change by change with the refused ones named in the peer's
 * last error, so that one bad record cannot stop a peer's synchronization.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ResourceReceiver {

    private static final Logger LOG = Logger.getLogger(ResourceReceiver.class.getName());

    @EJB
    PeeringService service;

    @EJB
    PeerAgents agents;

    public PeeringProtocol.Ack receive(CertifiedIdentity caller, String peerId, PeeringProtocol.Resources page) {
        PeeringProtocol.Ack gap = service.admit(caller, peerId, page);
        if (gap != null) {
            return gap;
        }
        try {
            return agents.apply(peerId, page);
        } catch (EJBException | AgentnetException e) {
            if (e instanceof AgentnetException known && known.type() == ProblemType.UNKNOWN_PEER) {
                throw known;
            }
            LOG.log(Level.WARNING, "peer gateway " + peerId + ": page after seq " + page.since()
                    + " refused as a whole, applying it change by change", e);
        }
        StringBuilder refused = new StringBuilder();
        for (RemoteChange change : page.changes()) {
            try {
                agents.applyOne(peerId, change);
            } catch (EJBException | AgentnetException e) {
                refused.append(refused.isEmpty() ? "refused changes: " : "; ").append("seq ").append(change.seq())
                        .append(" (agent ").append(change.agentId()).append("): ").append(PeerLink.describe(e));
            }
        }
        return agents.advance(peerId, page, refused.isEmpty() ? null : refused.toString());
    }
}

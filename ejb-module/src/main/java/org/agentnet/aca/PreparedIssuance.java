package org.agentnet.aca;

import org.agentnet.common.concurrent.GroupCommitter;
import java.time.Instant;
import java.util.Set;

/**
 * An issuance ready to be written: the application (already ISSUED), the signed certificate's
 * record, the enrollment token it spends, and its one audit entry. Nothing of it is acknowledged
 * before the transaction that writes all of it has committed.
 */
public record PreparedIssuance(CertificateApplication application, IssuedCertificate certificate, String tokenId,
                        AuditEvent audit, Instant at) implements GroupCommitter.Item {

    static final String TOKEN = "token:";
    static final String KEY = "key:";

    String keyFingerprint() {
        return certificate.keyFingerprint();
    }

    @Override
    public Set<String> uniqueKeys() {
        return Set.of(TOKEN + tokenId, KEY + keyFingerprint());
    }
}

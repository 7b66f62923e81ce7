package org.agentnet.agw.message;

/**
 * A message whose signature and sender certificate have been verified: who sent it (agent ID when
 * known, agent URI, certificate chain in PEM), what it says ({@link MessageClaims}), and the compact
 * JWS exactly as the sender made it.
 */
public record SignedMessage(String messageId, String senderId, String senderUri, String senderChain, String target,
                            String sessionId, String contentType, String jws) {

    static SignedMessage of(MessageClaims claims, String senderId, String senderUri, String senderChain, String jws) {
        return new SignedMessage(claims.messageId(), senderId, senderUri, senderChain, claims.target(), claims.sessionId(),
                claims.contentType(), jws);
    }
}

package org.agentnet.aca;

import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * The non-critical certificate extension that carries what an agent is permitted to do
 * (docs/aca.md):
 * <pre>
 * AgentIdentity ::= SEQUENCE {
 *     developer        UTF8String,
 *     functionType     UTF8String,
 *     permissionScope  SEQUENCE OF UTF8String,
 *     skills           SEQUENCE OF UTF8String }
 * </pre>
 * Its OID lies under 2.25 (ITU-T X.667: an OID made from a UUID needs no registration).
 */
public final class AgentIdentityExtension {

    /** 2.25 + the decimal form of UUID 6a3f1c2e-5b7d-4e9a-8c01-2f4d6e8a9b10. */
    public static final ASN1ObjectIdentifier OID =
            new ASN1ObjectIdentifier("2.25.141225853835567777387999247218806266640");

    private AgentIdentityExtension() {
    }

    public static DERSequence encode(AgentIdentity identity) {
        ASN1EncodableVector fields = new ASN1EncodableVector();
        fields.add(new DERUTF8String(identity.developer()));
        fields.add(new DERUTF8String(identity.functionType()));
        fields.add(strings(identity.permissionScope()));
        fields.add(strings(identity.skills()));
        return new DERSequence(fields);
    }

    /** developer, functionType, permissionScope, skills as read back from a certificate. */
    public record Decoded(String developer, String functionType, List<String> permissionScope, List<String> skills) {
    }

    public static Decoded decode(byte[] extensionValue) {
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(extensionValue).getOctets());
            return new Decoded(text(sequence, 0), text(sequence, 1), list(sequence, 2), list(sequence, 3));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an agent identity extension", e);
        }
    }

    private static DERSequence strings(List<String> values) {
        ASN1EncodableVector vector = new ASN1EncodableVector();
        values.forEach(value -> vector.add(new DERUTF8String(value)));
        return new DERSequence(vector);
    }

    private static String text(ASN1Sequence sequence, int index) {
        return ASN1UTF8String.getInstance(sequence.getObjectAt(index)).getString();
    }

    private static List<String> list(ASN1Sequence sequence, int index) {
        ASN1Sequence values = ASN1Sequence.getInstance(sequence.getObjectAt(index));
        return java.util.Arrays.stream(values.toArray()).map(v -> ASN1UTF8String.getInstance(v).getString()).toList();
    }

}

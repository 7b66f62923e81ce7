package org.agentnet.agw.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.agentnet.common.text.Fields;

/**
 * What an operator writes as an access policy (docs/agw.md "Access policies"): a name, an effect,
 * the actions it governs, who acts (subjects) and on which agents or capabilities (objects), and
 * whether it is in force. Every field is checked here, so a document that exists is a valid one.
 */
public record PolicyDocument(String name, String description, PolicyEffect effect, Set<PolicyAction> actions,
                             List<Selector> subjects, List<Selector> objects, boolean enabled) {

    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?");
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_SELECTORS = 16;

    public PolicyDocument {
        Fields.require(name != null && NAME.matcher(name).matches(),
                "name is required: 1-64 lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
        description = Fields.optionalPrintable("description", description, MAX_DESCRIPTION);
        Fields.require(effect != null, "effect is required: ALLOW or DENY");
        Fields.require(actions != null && !actions.isEmpty(), "actions must name at least one of DISCOVER, MESSAGE");
        actions = Set.copyOf(EnumSet.copyOf(actions));
        Fields.require(subjects != null && !subjects.isEmpty() && subjects.size() <= MAX_SELECTORS,
                "subjects must hold 1 to " + MAX_SELECTORS + " selectors");
        Fields.require(objects != null && !objects.isEmpty() && objects.size() <= MAX_SELECTORS,
                "objects must hold 1 to " + MAX_SELECTORS + " selectors");
        subjects = List.copyOf(subjects);
        objects = List.copyOf(objects);
    }

    public boolean governs(PolicyAction action) {
        return actions.contains(action);
    }
}

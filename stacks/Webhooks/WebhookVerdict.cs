namespace Fleet.Stacks.Webhooks;

/// <summary>Why a delivery was accepted or refused; the refusal text is safe to return to the sender.</summary>
public enum WebhookVerdict
{
    Valid,
    MissingHeaders,
    BadTimestamp,
    TooOld,
    TooNew,
    NoMatchingSignature,
}

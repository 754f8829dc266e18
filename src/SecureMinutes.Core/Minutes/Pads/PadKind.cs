namespace SecureMinutes.Minutes.Pads;

public enum PadKind
{
    /// <summary>Etherpad and its hosted instances (Framapad): <c>…/p/NAME</c>, plain text.</summary>
    Etherpad,

    /// <summary>HedgeDoc / CodiMD: <c>…/NOTE-ID</c>, Markdown.</summary>
    HedgeDoc,
}

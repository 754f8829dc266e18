using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Pages;

/// <summary>What a person sees instead of a bare error code; a list they may not see is "not found", like one that does not exist.</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class StatusModel(IStringLocalizer<Text> text) : PageModel
{
    public string Title { get; private set; } = "";

    public void OnGet(int code) => Title = code switch
    {
        404 => text["NotFound"],
        403 => text["Forbidden"],
        400 => text["BadRequest"],
        _ => text["SomethingWentWrong"],
    };

    /// <summary>A failed POST is re-executed here as a POST.</summary>
    public void OnPost(int code) => OnGet(code);
}

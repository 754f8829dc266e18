using System.CommandLine;
using System.Globalization;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Minutes.Preparation;

namespace SecureMinutes.Commands;

public static class SubmitCommand
{
    public static Command Build()
    {
        var list = new Argument<string>("LIST");
        var file = new Option<FileInfo?>("--file") { Description = "The minutes: a text or Markdown (.md) file, UTF-8 unless --encoding says otherwise" };
        var pad = new Option<string?>("--pad") { Description = "The minutes are in a pad: https://HOST/p/NAME (Etherpad, Framapad; read-only r.… too) or https://HOST/NOTE (HedgeDoc)" };
        var apiKeyEnv = new Option<string?>("--pad-api-key-env") { Description = "Read the Etherpad pad through its HTTP API, with the API key in this environment variable" };
        var revision = new Option<int?>("--rev") { Description = "Send this revision of the Etherpad pad instead of its current text" };
        var encoding = new Option<string?>("--encoding") { Description = "The --file's encoding if it is not UTF-8, e.g. latin1, windows-1252, utf-16" };
        var format = new Option<string?>("--format") { Description = "text or markdown (default: markdown for .md files and HedgeDoc notes, text otherwise)" };
        var attach = new Option<FileInfo[]>("--attach") { Description = "Send this file with the minutes, encrypted too (repeat for several; 10 MiB in all unless SECUREMINUTES_ATTACHMENTS_LIMIT says otherwise)" };
        var subject = new Option<string?>("--subject") { Description = "Subject members see (default: the first heading of the minutes)" };
        var at = new Option<string?>("--at") { Description = "Send later, e.g. 2026-12-01T22:00+01:00 (ISO 8601; without an offset: this machine's time zone); with --pad, the pad is read at that time" };
        var wait = new Option<bool>("--wait") { Description = "Return when every member's copy is delivered or failed; exit 0 only if all were delivered" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var prepared = new Option<bool>("--prepared") { Description = "Send the pad `secureminutes prepare` made for the list (with --at: read it at that time)" };
        var yes = new Option<bool>("--yes") { Description = "Send even if vote counts do not add up (the summary at the top then lists what does not)" };
        var again = new Option<bool>("--again") { Description = "Send even though the same minutes went to this list in the last hours (a second submit is refused otherwise)" };
        var command = new Command("submit", "Send minutes to every member of a list, each copy encrypted to that member alone")
        {
            list, file, pad, apiKeyEnv, revision, encoding, format, attach, subject, at, wait, json, prepared, yes, again,
        };
        command.SetHandler(async (ParseResult parse, DistributionService distribution, PadReader pads, PadCaptures captures, SubmissionWaiter waiter,
            IntakeLimits limits, CliConsole console, AgPreparation preparation, CancellationToken cancellationToken) =>
        {
            var padUrl = parse.GetValue(pad);
            var minutesFile = parse.GetValue(file);
            var apiKeyVariable = parse.GetValue(apiKeyEnv);
            if (parse.GetValue(prepared))
            {
                if (padUrl is not null || minutesFile is not null)
                {
                    throw new UserFacingException("--prepared sends the pad `prepare` made: give no --file or --pad with it");
                }

                var preparedPad = await preparation.PreparedPadAsync(parse.GetValue(list)!, cancellationToken);
                (padUrl, apiKeyVariable) = (preparedPad.PadUrl, apiKeyVariable ?? preparedPad.ApiKeyVariable);
            }

            if ((padUrl is null) == (minutesFile is null))
            {
                throw new UserFacingException("give the minutes with --file FILE or --pad URL (one of them)");
            }

            if (padUrl is null && (apiKeyVariable is not null || parse.GetValue(revision) is not null))
            {
                throw new UserFacingException("--pad-api-key-env and --rev go with --pad");
            }

            if (padUrl is not null && parse.GetValue(encoding) is not null)
            {
                throw new UserFacingException("--encoding goes with --file: pads are always UTF-8");
            }

            var listName = parse.GetValue(list)!;
            var givenFormat = parse.GetValue(format);
            _ = MinutesFormats.Choose(givenFormat, MinutesFormat.Text);
            var attachments = AttachmentFiles.Read((parse.GetValue(attach) ?? []).Select(f => f.FullName), limits.MaxAttachmentBytes);
            var sendAt = parse.GetValue(at) is { } when ? ParseTime(when) : (DateTimeOffset?)null;
            var asJson = parse.GetValue(json);

            if (padUrl is not null && sendAt is not null)
            {
                // The pad is read at that time, not now: the note-taker follows the capture by its submission id.
                if (parse.GetValue(wait))
                {
                    throw new UserFacingException("--wait does not go with --pad and --at: the pad is read at that time; follow it with secureminutes status ID");
                }

                var request = PadRequest.Create(padUrl, apiKeyVariable, parse.GetValue(revision));
                var capture = await captures.ScheduleAsync(listName, new PadCaptureRequest(request.Address.Url, request.ApiKeyVariable, request.Revision,
                    givenFormat, parse.GetValue(subject), attachments), sendAt.Value, cancellationToken);
                await PrintQueuedAsync(console, asJson, capture.SubmissionId, listName, null, sendAt.Value);
                await console.Error.WriteLineAsync(FormattableString.Invariant($"The {request.Address.Display} will be read and sent at {sendAt.Value.ToLocalTime():yyyy-MM-dd HH:mm}.")
                    + (request.ApiKeyVariable is null ? "" : $" The server or worker must have {request.ApiKeyVariable} in its environment then."));
                await NoteWhenNoServerAsync(console, waiter);
                return ExitCodes.Success;
            }

            string text;
            MinutesFormat sourceFormat;
            if (padUrl is not null)
            {
                var request = PadRequest.Create(padUrl, apiKeyVariable, parse.GetValue(revision));
                var readyList = await distribution.CheckListReadyAsync(listName, null, cancellationToken);
                var padText = await pads.ReadAsync(readyList.Id, request, cancellationToken);
                (text, sourceFormat) = (padText.Text, padText.Format);
            }
            else
            {
                text = MinutesFile.ReadText(minutesFile!.FullName, limits.MaxTextBytes, parse.GetValue(encoding));
                sourceFormat = MinutesFormats.ForFile(minutesFile.Name);
            }

            // The list is checked first, so a wrong name or a list without provider stays the one line printed.
            await distribution.CheckListReadyAsync(listName, sendAt, cancellationToken);
            var votes = await VoteWarnings.CheckAsync(console.Error, text, parse.GetValue(yes));
            var document = new MinutesDocument(MinutesSubject.Choose(parse.GetValue(subject), text, DateTimeOffset.Now), text)
            {
                Format = MinutesFormats.Choose(givenFormat, sourceFormat),
                Attachments = attachments,
            };
            // Only what is printed is kept: the stored copies themselves (10,000 of them on a large list) are not held
            // through the wait, at the end of which they are read again for the report.
            var submitted = Queued(await distribution.SubmitAsync(listName, document, new SubmitOptions { SendAt = sendAt, Again = parse.GetValue(again) }, cancellationToken));
            await VoteWarnings.NoteAsync(console.Error, votes);
            if (!parse.GetValue(wait))
            {
                await PrintQueuedAsync(console, asJson, submitted.Id, submitted.List, submitted.Copies, submitted.SendAt);
                await NoteWhenNoServerAsync(console, waiter);
                return ExitCodes.Success;
            }

            var outcome = await ProgressView.RunAsync(console, $"Sending to {submitted.Copies} members", asJson,
                progress => waiter.WaitAsync(submitted.Id, progress, cancellationToken));
            return await StatusPrinter.ReportAsync(console, outcome, asJson);
        });
        return command;
    }

    private static (string Id, string List, int Copies, DateTimeOffset SendAt) Queued(SubmissionStatus status) =>
        (status.Submission.Id, status.List.Name, status.Deliveries.Count, status.Submission.SendAt);

    /// <summary>The submission id, or with --json the id, list, member count (when known) and send time.</summary>
    private static async Task PrintQueuedAsync(CliConsole console, bool asJson, string submissionId, string listName, int? members, DateTimeOffset sendAt)
    {
        if (!asJson)
        {
            await console.Out.WriteLineAsync(submissionId);
        }
        else if (members is { } count)
        {
            await Json.WriteAsync(console.Out, new { submission = submissionId, list = listName, members = count, sendAt = sendAt.ToString("O", CultureInfo.InvariantCulture) });
        }
        else
        {
            await Json.WriteAsync(console.Out, new { submission = submissionId, list = listName, captureAt = sendAt.ToString("O", CultureInfo.InvariantCulture) });
        }
    }

    private static async Task NoteWhenNoServerAsync(CliConsole console, SubmissionWaiter waiter)
    {
        if (!waiter.ServerRunning)
        {
            await console.Error.WriteLineAsync("note: no server is running here; the mails go out when `secureminutes serve` (or worker) runs, or use --wait");
        }
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time
            : throw new UserFacingException($"--at '{text}' is not a date and time (e.g. 2026-12-01T22:00+01:00)");
}

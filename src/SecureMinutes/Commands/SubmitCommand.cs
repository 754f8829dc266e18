using System.CommandLine;
using System.Globalization;
using Hangfire;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Minutes.Preparation;
using SecureMinutes.Storage;

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
        var command = new Command("submit", "Send minutes to every member of a list, each copy encrypted to that member alone")
        {
            list, file, pad, apiKeyEnv, revision, encoding, format, attach, subject, at, wait, json, prepared, yes,
        };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var limits = context.Options.Intake;
            var padUrl = parse.GetValue(pad);
            var minutesFile = parse.GetValue(file);
            var apiKeyVariable = parse.GetValue(apiKeyEnv);
            if (parse.GetValue(prepared))
            {
                if (padUrl is not null || minutesFile is not null)
                {
                    throw new UserFacingException("--prepared sends the pad `prepare` made: give no --file or --pad with it");
                }

                var preparedPad = await context.Get<AgPreparation>().PreparedPadAsync(parse.GetValue(list)!, cancellationToken);
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

            var givenFormat = parse.GetValue(format);
            _ = MinutesFormats.Choose(givenFormat, MinutesFormat.Text);
            var attachments = AttachmentFiles.Read((parse.GetValue(attach) ?? []).Select(f => f.FullName), limits.MaxAttachmentBytes);
            var sendAt = parse.GetValue(at) is { } when ? ParseTime(when) : (DateTimeOffset?)null;
            var asJson = parse.GetValue(json);

            if (padUrl is not null && sendAt is not null)
            {
                return await ScheduleCaptureAsync(context, parse.GetValue(list)!, padUrl, apiKeyVariable, parse.GetValue(revision), givenFormat,
                    parse.GetValue(subject), attachments, sendAt.Value, parse.GetValue(wait), asJson, cancellationToken);
            }

            string text;
            MinutesFormat sourceFormat;
            if (padUrl is not null)
            {
                var request = PadRequest.Create(padUrl, apiKeyVariable, parse.GetValue(revision));
                var listName = parse.GetValue(list)!;
                await context.Get<DistributionService>().CheckReadyAsync(listName, null, cancellationToken);
                var socks5 = await Socks5Async(context, listName, cancellationToken);
                var padText = await context.Get<PadReader>().ReadAsync(request, socks5, cancellationToken);
                (text, sourceFormat) = (padText.Text, padText.Format);
            }
            else
            {
                text = MinutesFile.ReadText(minutesFile!.FullName, limits.MaxTextBytes, parse.GetValue(encoding));
                sourceFormat = MinutesFormats.ForFile(minutesFile.Name);
            }

            // The list is checked first, so a wrong name or a list without provider stays the one line printed.
            await context.Get<DistributionService>().CheckReadyAsync(parse.GetValue(list)!, sendAt, cancellationToken);
            var votes = await VoteWarnings.CheckAsync(context.Error, text, parse.GetValue(yes));
            var document = new MinutesDocument(MinutesSubject.Choose(parse.GetValue(subject), text, DateTimeOffset.Now), text)
            {
                Format = MinutesFormats.Choose(givenFormat, sourceFormat),
                Attachments = attachments,
            };
            var submitted = await context.Get<DistributionService>().SubmitAsync(parse.GetValue(list)!, document, sendAt, cancellationToken);
            context.Get<SubmissionDispatcher>().Dispatch(submitted.Submission);
            await VoteWarnings.NoteAsync(context.Error, votes);
            if (!parse.GetValue(wait))
            {
                if (asJson)
                {
                    await Json.WriteAsync(context.Out, new
                    {
                        submission = submitted.Submission.Id,
                        list = submitted.List.Name,
                        members = submitted.Deliveries.Count,
                        sendAt = submitted.Submission.SendAt.ToString("O", CultureInfo.InvariantCulture),
                    });
                }
                else
                {
                    await context.Out.WriteLineAsync(submitted.Submission.Id);
                }

                await NoteWhenNoServerAsync(context);
                return ExitCodes.Success;
            }

            var outcome = await ProgressView.RunAsync(context, $"Sending to {submitted.Deliveries.Count} members", asJson,
                progress => SubmissionWaiter.WaitAsync(context, submitted.Submission.Id, progress, cancellationToken));
            return await StatusPrinter.ReportAsync(context, outcome, asJson);
        });
        return command;
    }

    /// <summary>
    /// <c>--pad URL --at TIME</c>: the pad is read at TIME, not now. It is read once now all the same (and the
    /// text dropped), so a wrong address or key is reported to the note-taker today rather than to the admins
    /// at 22:00; an empty or still-growing pad is fine at this point.
    /// </summary>
    private static async Task<int> ScheduleCaptureAsync(CommandContext context, string listName, string padUrl, string? apiKeyVariable, int? revision,
        string? format, string? subject, IReadOnlyList<MinutesAttachment> attachments, DateTimeOffset captureAt, bool wait, bool asJson, CancellationToken cancellationToken)
    {
        if (wait)
        {
            throw new UserFacingException("--wait does not go with --pad and --at: the pad is read at that time; follow it with secureminutes status ID");
        }

        var request = PadRequest.Create(padUrl, apiKeyVariable, revision);
        await context.Get<DistributionService>().CheckReadyAsync(listName, captureAt, cancellationToken);
        try
        {
            await context.Get<PadReader>().ReadAsync(request, await Socks5Async(context, listName, cancellationToken), cancellationToken);
        }
        catch (PadException ex) when (ex.Failure is PadFailure.Empty or PadFailure.TooLarge)
        {
        }

        var capture = await context.Get<PadCaptures>().ScheduleAsync(listName,
            new PadCaptureRequest(request.Address.Url, apiKeyVariable, revision, format, subject, attachments), captureAt, cancellationToken);
        if (asJson)
        {
            await Json.WriteAsync(context.Out, new { submission = capture.SubmissionId, list = listName, captureAt = captureAt.ToString("O", CultureInfo.InvariantCulture) });
        }
        else
        {
            await context.Out.WriteLineAsync(capture.SubmissionId);
        }

        await context.Error.WriteLineAsync(FormattableString.Invariant($"The {request.Address.Display} will be read and sent at {captureAt.ToLocalTime():yyyy-MM-dd HH:mm}.")
            + (apiKeyVariable is null ? "" : $" The server or worker must have {apiKeyVariable} in its environment then."));
        await NoteWhenNoServerAsync(context);
        return ExitCodes.Success;
    }

    private static async Task<string?> Socks5Async(CommandContext context, string listName, CancellationToken cancellationToken)
    {
        var mailingList = await context.Get<ListStore>().GetAsync(listName, cancellationToken);
        return (await context.Get<ProviderStore>().FindAsync(mailingList.Id, cancellationToken))?.Socks5;
    }

    private static async Task NoteWhenNoServerAsync(CommandContext context)
    {
        if (!JobServers.AnyAlive(context.Get<JobStorage>(), DateTimeOffset.UtcNow))
        {
            await context.Error.WriteLineAsync("note: no server is running here; the mails go out when `secureminutes serve` (or worker) runs, or use --wait");
        }
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time
            : throw new UserFacingException($"--at '{text}' is not a date and time (e.g. 2026-12-01T22:00+01:00)");
}

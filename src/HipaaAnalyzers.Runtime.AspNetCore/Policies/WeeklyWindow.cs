using System;
using System.Collections.Generic;
using System.Globalization;

namespace HipaaAnalyzers.Runtime.AspNetCore.Policies;

/// <summary>
/// A weekly time window such as <c>08:00-18:00 Mon-Fri</c>: the start is inclusive, the end exclusive. When the end
/// is not after the start (<c>22:00-06:00 Mon-Fri</c>) the window runs overnight and the days name the day it
/// starts on, so Friday 22:00 to Saturday 06:00 is inside. Without days the window applies every day.
/// </summary>
internal sealed class WeeklyWindow
{
    private const int MinutesPerDay = 24 * 60;
    private const int MinutesPerWeek = 7 * MinutesPerDay;

    private static readonly string[] DayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    private static readonly string[] FullDayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private readonly bool[] _days;

    private WeeklyWindow(int startMinute, int endMinute, bool[] days, string display)
    {
        StartMinute = startMinute;
        EndMinute = endMinute;
        _days = days;
        Display = display;
    }

    public int StartMinute { get; }

    public int EndMinute { get; }

    public string Display { get; }

    public bool Overnight => EndMinute <= StartMinute;

    /// <summary>Parses <c>HH:mm-HH:mm [days]</c>; on failure returns null and says why.</summary>
    public static WeeklyWindow? TryParse(string text, out string? error)
    {
        error = null;
        string trimmed = text.Trim();
        int space = trimmed.IndexOfAny([' ', '\t']);
        string times = space < 0 ? trimmed : trimmed[..space];
        string days = space < 0 ? string.Empty : trimmed[(space + 1)..].Trim();

        string[] bounds = times.Split('-');
        if (bounds.Length != 2)
        {
            error = $"'{text}' is not a window (expected 'HH:mm-HH:mm' followed by days, for example '08:00-18:00 Mon-Fri')";
            return null;
        }

        int? start = ParseTime(bounds[0], allow24: false);
        if (start is null)
        {
            error = $"start time '{bounds[0]}' is not a time (expected HH:mm from 00:00 to 23:59)";
            return null;
        }

        int? end = ParseTime(bounds[1], allow24: true);
        if (end is null)
        {
            error = $"end time '{bounds[1]}' is not a time (expected HH:mm from 00:00 to 23:59, or 24:00)";
            return null;
        }

        if (end == start)
        {
            error = $"window '{times}' is empty (start and end are equal; use 00:00-24:00 for a whole day)";
            return null;
        }

        bool[] selected = new bool[7];
        string daysDisplay;
        if (days.Length == 0)
        {
            Array.Fill(selected, true);
            daysDisplay = string.Empty;
        }
        else
        {
            List<string> parts = new();
            foreach (string rawToken in days.Split(','))
            {
                string token = rawToken.Trim();
                if (token.Length == 0)
                {
                    error = $"days '{days}' contain an empty entry";
                    return null;
                }

                string[] range = token.Split('-');
                if (range.Length > 2)
                {
                    error = $"day range '{token}' is not a day or a range like Mon-Fri";
                    return null;
                }

                int? first = ParseDay(range[0].Trim());
                if (first is null)
                {
                    error = $"unknown day '{range[0].Trim()}' (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)";
                    return null;
                }

                int? last = first;
                if (range.Length == 2)
                {
                    last = ParseDay(range[1].Trim());
                    if (last is null)
                    {
                        error = $"unknown day '{range[1].Trim()}' (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)";
                        return null;
                    }
                }

                // A range wraps past Sunday: Fri-Mon is Fri, Sat, Sun, Mon.
                for (int day = first.Value; ; day = (day + 1) % 7)
                {
                    if (selected[day])
                    {
                        error = $"day '{DayNames[day]}' is listed twice in '{days}'";
                        return null;
                    }

                    selected[day] = true;
                    if (day == last.Value)
                    {
                        break;
                    }
                }

                parts.Add(range.Length == 2 ? $"{DayNames[first.Value]}-{DayNames[last.Value]}" : DayNames[first.Value]);
            }

            daysDisplay = " " + string.Join(",", parts);
        }

        string display = $"{FormatTime(start.Value)}-{FormatTime(end.Value)}{daysDisplay}";
        return new WeeklyWindow(start.Value, end.Value, selected, display);
    }

    /// <summary>Whether a local wall-clock time falls in the window.</summary>
    public bool Contains(DayOfWeek dayOfWeek, TimeSpan timeOfDay)
    {
        int day = ((int)dayOfWeek + 6) % 7;
        double minute = timeOfDay.TotalMinutes;
        if (!Overnight)
        {
            return _days[day] && minute >= StartMinute && minute < EndMinute;
        }

        int previous = (day + 6) % 7;
        return (_days[day] && minute >= StartMinute) || (_days[previous] && minute < EndMinute);
    }

    /// <summary>The window's spans in minutes since Monday 00:00, split where they wrap past the week's end.</summary>
    public IEnumerable<(int From, int To)> Spans()
    {
        for (int day = 0; day < 7; day++)
        {
            if (!_days[day])
            {
                continue;
            }

            int from = (day * MinutesPerDay) + StartMinute;
            int to = (day * MinutesPerDay) + EndMinute + (Overnight ? MinutesPerDay : 0);
            if (to <= MinutesPerWeek)
            {
                yield return (from, to);
            }
            else
            {
                yield return (from, MinutesPerWeek);
                yield return (0, to - MinutesPerWeek);
            }
        }
    }

    /// <summary>The first minute two windows share, or null.</summary>
    public static int? FirstOverlap(WeeklyWindow a, WeeklyWindow b)
    {
        int? first = null;
        foreach ((int aFrom, int aTo) in a.Spans())
        {
            foreach ((int bFrom, int bTo) in b.Spans())
            {
                if (aFrom < bTo && bFrom < aTo)
                {
                    int start = Math.Max(aFrom, bFrom);
                    first = first is null ? start : Math.Min(first.Value, start);
                }
            }
        }

        return first;
    }

    public static string DescribeWeekMinute(int minute)
        => $"{DayNames[minute / MinutesPerDay]} {FormatTime(minute % MinutesPerDay)}";

    private static int? ParseTime(string text, bool allow24)
    {
        if (text.Length != 5 || text[2] != ':' || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1])
            || !char.IsAsciiDigit(text[3]) || !char.IsAsciiDigit(text[4]))
        {
            return null;
        }

        int hours = int.Parse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        int minutes = int.Parse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (minutes > 59 || hours > 24 || (hours == 24 && (!allow24 || minutes != 0)))
        {
            return null;
        }

        return (hours * 60) + minutes;
    }

    private static int? ParseDay(string text)
    {
        for (int i = 0; i < 7; i++)
        {
            if (string.Equals(text, DayNames[i], StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, FullDayNames[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    private static string FormatTime(int minute)
        => string.Create(CultureInfo.InvariantCulture, $"{minute / 60:00}:{minute % 60:00}");
}

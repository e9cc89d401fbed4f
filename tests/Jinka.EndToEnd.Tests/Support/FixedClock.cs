namespace Jinka.EndToEnd.Tests;

/// <summary>A clock that always answers the same instant, in UTC, so dates and times in traces repeat.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

namespace Jinka.Host.Storage.Tests.Infrastructure;

/// <summary>A timed measurement that runs only when <c>variable=1</c>: not part of the fast suite, skipped with how to run it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public abstract class OptInFactAttribute : FactAttribute
{
    protected OptInFactAttribute(string variable, string howToRun)
    {
        if (Environment.GetEnvironmentVariable(variable) != "1")
        {
            Skip = howToRun;
        }
    }
}

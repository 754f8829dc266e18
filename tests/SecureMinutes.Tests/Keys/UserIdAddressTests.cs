using SecureMinutes.Keys;

namespace SecureMinutes.Tests.Keys;

public class UserIdAddressTests
{
    [Theory]
    [InlineData("Camille Martin <camille@members.example.test>", "camille@members.example.test")]
    [InlineData("camille@members.example.test", "camille@members.example.test")]
    [InlineData("<camille@members.example.test>", "camille@members.example.test")]
    [InlineData("Camille (association) <camille@members.example.test>", "camille@members.example.test")]
    [InlineData("\"Martin, Camille\" <camille@members.example.test>", "camille@members.example.test")]
    [InlineData("AG démo SecureMinutes <ag-demo@lists.example.test>", "ag-demo@lists.example.test")]
    [InlineData("Camille Martin", null)]
    [InlineData("Camille <not an address>", null)]
    public void Of_FindsTheAddressInAUserId(string userId, string? expected)
    {
        Assert.Equal(expected, UserIdAddress.Of(userId));
    }
}

namespace Fleet.Infra.Clouds.Hetzner;

/// <summary>Which network zone a Hetzner location belongs to (subnets are created per zone).</summary>
public static class HetznerNetworkZones
{
    public static string Of(string location) => location switch
    {
        "ash" => "us-east",
        "hil" => "us-west",
        "sin" => "ap-southeast",
        _ => "eu-central", // fsn1, nbg1, hel1
    };
}

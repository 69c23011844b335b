import org.kasou.embed.*;

public class StoreSum {
    public static void main(String[] args) {
        // int store_sum(int *out, int a, int b) { *out = a + b; return *out; }  (gcc -m32 -O2)
        byte[] code = {
            (byte) 0x8B, 0x44, 0x24, 0x0C,   // mov eax,[esp+12]
            0x03, 0x44, 0x24, 0x08,          // add eax,[esp+8]
            (byte) 0x8B, 0x54, 0x24, 0x04,   // mov edx,[esp+4]
            (byte) 0x89, 0x02,               // mov [edx],eax
            (byte) 0xC3                      // ret
        };
        long text = 0x400000, data = 0x600000, stack = 0x7FF00000, returnAddress = 0xDEAD0000L;

        Engine engine = Engine.create(Mode.PROTECTED_32);
        engine.map(text, 0x1000, Perm.READ | Perm.EXEC);
        engine.map(data, 0x1000, Perm.READ | Perm.WRITE);
        engine.map(stack, 0x10000, Perm.READ | Perm.WRITE);
        engine.write(text, code);

        // cdecl call: arguments on the stack above the return address
        long sp = stack + 0x10000 - 16;
        engine.writeU32(sp, returnAddress);
        engine.writeU32(sp + 4, data);
        engine.writeU32(sp + 8, 40);
        engine.writeU32(sp + 12, 2);
        engine.setReg(Register.ESP, sp);

        engine.hookMemory(data, data + 0xFFF, (e, access, address, size, value) ->
                System.out.printf("%s of %d bytes at 0x%x: %d%n", access, size, address, value));

        RunResult result = engine.run(text, returnAddress);
        System.out.println(result.cause() + " after " + result.instructions() + " instructions");
        System.out.println("store_sum returned " + engine.reg(Register.EAX) + ", *out = " + engine.readU32(data));
    }
}

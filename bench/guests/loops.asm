; Whole-guest benchmark loops, the same binary for kasou and QEMU (flat multiboot image).
; Build one workload: nasm -f bin -D WORKLOAD_ALU -o alu.bin loops.asm (or _MEMORY, _CALL, _X87).
; Each prints "done" on the debug console (port 0xE9) and exits through port 0xF4 (status 1).

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

entry:  mov     esp, stack_top
        mov     esi, data
        xor     eax, eax
        mov     ebx, 3
        xor     edx, edx
%ifdef WORKLOAD_ALU
        mov     ecx, 500000000          ; 4 instructions x 500 M = 2 G
.loop:  add     eax, ebx
        xor     edx, eax
        dec     ecx
        jnz     .loop
%elifdef WORKLOAD_MEMORY
        mov     ecx, 200000000          ; 6 instructions x 200 M = 1.2 G
.loop:  mov     eax, [esi + 8]
        add     eax, ebx
        mov     [esi + 12], eax
        add     [esi + 16], eax
        dec     ecx
        jnz     .loop
%elifdef WORKLOAD_CALL
        mov     ecx, 200000000          ; 5 instructions x 200 M = 1 G
.loop:  call    f
        dec     ecx
        jnz     .loop
        jmp     finish
f:      add     eax, ebx
        ret
%elifdef WORKLOAD_X87
        fninit
        fld1                            ; data[0] = 1.0, data[8] = 1 + 2^-52 (doubles)
        fstp    qword [esi]
        mov     dword [esi + 8], 0x00000001
        mov     dword [esi + 12], 0x3FF00000
        mov     ecx, 50000000           ; 9 instructions (7 x87) x 50 M = 450 M
.loop:  fld     qword [esi]             ; x = sqrt(x * y + y), as compiled C code does it
        fmul    qword [esi + 8]
        fadd    qword [esi + 8]
        fsqrt
        fstp    qword [esi]
        fld     qword [esi + 8]
        fstp    qword [esi + 16]
        dec     ecx
        jnz     .loop
%else
%error "define WORKLOAD_ALU, WORKLOAD_MEMORY, WORKLOAD_CALL or WORKLOAD_X87"
%endif
finish: mov     esi, done_msg
.print: lodsb
        test    al, al
        jz      .exit
        out     0xE9, al
        jmp     .print
.exit:  xor     eax, eax
        out     0xF4, al
        hlt
        jmp     .exit

done_msg: db    "done", 10, 0
        align 4096, db 0                ; data on its own page: stores next to code would hit the
data:   times 64 db 0                   ; code-write tracking of both emulators on every write
image_end:
        align 16
        times 4096 db 0
stack_top:
bss_end:
